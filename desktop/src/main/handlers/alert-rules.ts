import type { AppService } from '../../shared/app-service.ts';
import { handle } from '../ipc.ts';

export interface AlertRuleHandlerDeps {
  service: Pick<AppService, 'listAlertRules' | 'createAlertRule' | 'updateAlertRule' | 'deleteAlertRule'>;
}

/** Alert rules: the server decides who may see and change which (admins, super admins). */
export function registerAlertRuleHandlers({ service }: AlertRuleHandlerDeps): void {
  handle('alert-rules:list', () => service.listAlertRules());
  handle('alert-rules:create', (input) => service.createAlertRule(input));
  handle('alert-rules:update', ({ id, change }) => service.updateAlertRule(id, change));
  handle('alert-rules:remove', ({ id }) => service.deleteAlertRule(id));
}

import { create } from 'zustand';
import type { AlertRule, AlertRuleInput } from '../../shared/types.ts';
import { errorMessage, platform } from '../platform/index.ts';

/** Someone a rule can name as a recipient. */
export interface RulePerson {
  id: string;
  name: string;
  email: string;
}

interface AlertRulesState {
  items: AlertRule[];
  loaded: boolean;
  loading: boolean;
  error: string | null;
  /** Who a rule of `peopleOf` may name: that workspace's people. */
  people: RulePerson[];
  peopleOf: string | null;
}

interface AlertRulesActions {
  load(): Promise<void>;
  /** Creates (no id) or changes a rule; the server's answer replaces it in the list. Throws the server's message. */
  save(input: AlertRuleInput, id?: string): Promise<AlertRule>;
  remove(id: string): Promise<void>;
  /** The people of a rule's workspace: super admins read any workspace's, admins their own. */
  loadPeople(workspaceId: string | null, asSuperAdmin: boolean): Promise<void>;
  reset(): void;
}

const initial: AlertRulesState = { items: [], loaded: false, loading: false, error: null, people: [], peopleOf: null };

/** The alert rules the viewer manages: their workspace's (admins) or all (super admins). */
export const useAlertRulesStore = create<AlertRulesState & AlertRulesActions>()((set, get) => ({
  ...initial,
  async load() {
    set({ loading: true, error: null });
    try {
      const { items } = await platform.alertRules.list();
      set({ items, loading: false, loaded: true });
    } catch (err) {
      set({ loading: false, loaded: true, error: errorMessage(err) });
    }
  },
  async save(input, id) {
    const saved = id ? await platform.alertRules.update(id, input) : await platform.alertRules.create(input);
    const others = get().items.filter((rule) => rule.id !== saved.id);
    set({ items: id ? get().items.map((rule) => (rule.id === saved.id ? saved : rule)) : [saved, ...others] });
    return saved;
  },
  async remove(id) {
    await platform.alertRules.remove(id);
    set({ items: get().items.filter((rule) => rule.id !== id) });
  },
  async loadPeople(workspaceId, asSuperAdmin) {
    set({ peopleOf: workspaceId, people: [] });
    if (!workspaceId) return; // a rule over every workspace names super admins only
    const people = asSuperAdmin
      ? (await platform.admin.users(workspaceId)).items
      : (await platform.workspace.members()).items.map((m) => ({ id: m.user_id, name: m.name, email: m.email }));
    // A later choice of workspace wins over an answer that arrives late.
    if (get().peopleOf === workspaceId) set({ people });
  },
  reset() {
    set(initial);
  },
}));

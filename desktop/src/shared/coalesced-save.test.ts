import { describe, expect, it } from 'vitest';
import { CoalescedSave } from './coalesced-save.ts';

/** A server that answers each request when told to, so a test controls the latency. */
function slowServer() {
  const requests: { value: number[]; resolve: (v: number[]) => void; reject: (e: Error) => void }[] = [];
  const send = (value: number[]) => new Promise<number[]>((resolve, reject) => requests.push({ value, resolve, reject }));
  return { requests, send };
}

describe('CoalescedSave', () => {
  it('keeps one request in flight and sends the changes made meanwhile together, last state wins', async () => {
    const server = slowServer();
    const saved: number[][] = [];
    const saver = new CoalescedSave(server.send, { saved: (v) => saved.push(v), failed: () => undefined });
    const done = [saver.save([1]), saver.save([1, 2]), saver.save([1, 2, 3]), saver.save([1, 2, 3, 4])];
    expect(server.requests.map((r) => r.value)).toEqual([[1]]);
    server.requests[0]!.resolve([1]);
    await new Promise((r) => setTimeout(r, 0));
    expect(server.requests.map((r) => r.value)).toEqual([[1], [1, 2, 3, 4]]);
    // The first answer came while newer changes waited: not reported as the saved state.
    expect(saved).toEqual([]);
    server.requests[1]!.resolve([1, 2, 3, 4]);
    await Promise.all(done);
    expect(saved).toEqual([[1, 2, 3, 4]]);
    expect(saver.busy).toBe(false);
  });

  it('reports a refusal with the value to retry, and merges partial changes', async () => {
    const requests: Record<string, number>[] = [];
    let refuse = true;
    const failures: Record<string, number>[] = [];
    const saver = new CoalescedSave<Record<string, number>>(
      async (v) => {
        requests.push(v);
        await new Promise((r) => setTimeout(r, 5));
        if (refuse) throw new Error('no');
        return v;
      },
      { saved: () => undefined, failed: (_err, v) => failures.push(v) },
      (a, b) => ({ ...a, ...b }),
    );
    const first = saver.save({ a: 1 });
    const second = saver.save({ b: 2 });
    await Promise.all([first, second]);
    // The first was refused while the second waited: they were sent again together.
    expect(requests).toEqual([{ a: 1 }, { a: 1, b: 2 }]);
    expect(failures).toEqual([{ a: 1, b: 2 }]);
    refuse = false;
    await saver.save(failures[0]!);
    expect(requests.at(-1)).toEqual({ a: 1, b: 2 });
  });
});

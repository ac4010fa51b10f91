import { describe, expect, it } from 'vitest';
import { SseParser } from './sse.ts';

describe('SseParser', () => {
  it('parses events split across arbitrary chunks', () => {
    const p = new SseParser();
    const text = 'id: 7\nevent: unread_count\ndata: {"count":3,\ndata: "by_workspace":{}}\n\n';
    const out = [...text].flatMap((ch) => p.push(ch));
    expect(out).toEqual([{ id: '7', event: 'unread_count', data: '{"count":3,\n"by_workspace":{}}' }]);
  });

  it('ignores heartbeat comments and keeps the last id for later events', () => {
    const p = new SseParser();
    expect(p.push(': heartbeat\n\n')).toEqual([]);
    const out = p.push('id: 12\nevent: resync\ndata: {}\n\nevent: resync\ndata: {}\n\n');
    expect(out.map((m) => m.id)).toEqual(['12', '12']);
  });

  it('handles CRLF line endings, including a CR at the end of a chunk', () => {
    const p = new SseParser();
    expect(p.push('event: x\r\ndata: 1\r')).toEqual([]);
    expect(p.push('\n\r\n')).toEqual([{ event: 'x', data: '1', id: null }]);
  });

  it('defaults the event name to "message"', () => {
    expect(new SseParser().push('data: hi\n\n')).toEqual([{ event: 'message', data: 'hi', id: null }]);
  });
});

import { highlightParts } from '../../shared/activity-filters.ts';

/** The text with the words of the search marked, as the server matched them (word prefixes). */
export function Highlight({ text, q }: { text: string; q: string | undefined }) {
  return (
    <>
      {highlightParts(text, q).map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : part.text))}
    </>
  );
}

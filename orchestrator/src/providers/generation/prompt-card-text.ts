/**
 * Pure: the prompt as it appears on screen. Whitespace (newlines, tabs)
 * collapses to single spaces, control characters go, words wrap at
 * `maxCharsPerLine` code points and overflow ends in an ellipsis. The result
 * is written to a file for drawtext `textfile=`, never put into the graph.
 */
export function promptCardText(prompt: string, layout: { maxCharsPerLine: number; maxLines: number }): string {
  const clean = prompt.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  const lines: string[] = [];
  let current = '';
  for (const word of clean.split(' ')) {
    for (const piece of chunk(word, layout.maxCharsPerLine)) {
      const candidate = current ? `${current} ${piece}` : piece;
      if ([...candidate].length <= layout.maxCharsPerLine) {
        current = candidate;
      } else {
        lines.push(current);
        current = piece;
      }
    }
  }
  if (current) lines.push(current);
  if (lines.length <= layout.maxLines) return lines.join('\n');
  const kept = lines.slice(0, layout.maxLines);
  const last = [...kept[kept.length - 1]!];
  kept[kept.length - 1] = last.slice(0, Math.max(0, layout.maxCharsPerLine - 1)).join('') + '…';
  return kept.join('\n');
}

function chunk(word: string, size: number): string[] {
  const chars = [...word];
  if (chars.length <= size) return [word];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

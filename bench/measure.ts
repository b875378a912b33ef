import { readdir, readFile } from 'node:fs/promises';

/**
 * Resource figures for child processes of this node process: CPU from the
 * kernel's waited-for-children counters, peak memory by polling VmHWM of
 * every live ffmpeg child.
 */
const TICKS_PER_SEC = 100;

export async function childCpuMs(): Promise<number> {
  const stat = await readFile('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SEC;
}

async function ffmpegChildren(): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const comm = /\((.*)\)/.exec(stat)?.[1];
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === process.pid && comm === 'ffmpeg') pids.push(Number(entry));
  }
  return pids;
}

export function pollPeakMemory(): { stop: () => number } {
  let peak = 0;
  const timer = setInterval(async () => {
    for (const pid of await ffmpegChildren()) {
      const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peak = Math.max(peak, kb * 1024);
    }
  }, 100);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}

export interface Measurement {
  wallMs: number;
  cpuMs: number;
  peakBytes: number;
}

export async function measure(task: () => Promise<void>): Promise<Measurement> {
  const cpuBefore = await childCpuMs();
  const selfBefore = process.cpuUsage();
  const poll = pollPeakMemory();
  const started = Date.now();
  await task();
  const wallMs = Date.now() - started;
  const peakBytes = poll.stop();
  const self = process.cpuUsage(selfBefore);
  const cpuMs = (await childCpuMs()) - cpuBefore + (self.user + self.system) / 1000;
  return { wallMs, cpuMs, peakBytes };
}

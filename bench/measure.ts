import { readFile } from 'node:fs/promises';

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

/** Direct children of this process (the kernel lists them per thread; node forks from its main thread). */
async function ffmpegChildren(): Promise<number[]> {
  const listed = await readFile(`/proc/self/task/${process.pid}/children`, 'utf8').catch(() => '');
  const pids = listed.split(/\s+/).filter(Boolean).map(Number);
  const names = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')));
  return pids.filter((_, i) => names[i].trim() === 'ffmpeg');
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
  /** ffmpeg/ffprobe children plus this process (HTTP, sharp, job handling). */
  cpuMs: number;
  childCpuMs: number;
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
  const children = (await childCpuMs()) - cpuBefore;
  return { wallMs, cpuMs: children + (self.user + self.system) / 1000, childCpuMs: children, peakBytes };
}

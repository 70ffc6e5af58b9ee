/**
 * CPU time and memory of another process, read from /proc (Linux), so that a server swamped by its own
 * backlog is still measured: it need not answer anything. utime and stime are in clock ticks (USER_HZ,
 * 100 per second on Linux whatever the kernel's HZ), so a reading is good to 10 ms.
 */
import fs from "node:fs";

const USER_HZ = 100;

export type ProcReading = { cpuSeconds: number; rssBytes: number; peakRssBytes: number };

export function readProc(pid: number): ProcReading | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces), from field 3 (state) on.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime (14) + stime (15)
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kB = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
    return { cpuSeconds: ticks / USER_HZ, rssBytes: kB("VmRSS"), peakRssBytes: kB("VmHWM") };
  } catch {
    return null;
  }
}

/** CPU seconds the whole machine spent busy (every core, all processes), from /proc/stat. */
export function machineBusySeconds(): number | null {
  try {
    const line = fs.readFileSync("/proc/stat", "utf8").split("\n")[0];
    // cpu user nice system idle iowait irq softirq steal guest guest_nice
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return (user + nice + system + irq + softirq + steal) / USER_HZ;
  } catch {
    return null;
  }
}

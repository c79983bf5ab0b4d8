import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of this process's child processes (the embedded Postgres and its backends, those that
 * ended included), read from /proc: a bench that hands work to the database counts the database's
 * share of the CPU too. Null where there is no /proc (not Linux).
 * https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html
 */

let ticksPerSecond: number | null = null;

function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

/** Fields after the command name, which is in parentheses and may hold spaces. */
function statFields(pid: string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    // The process ended between the listing and the read.
    return null;
  }
}

/** User plus system CPU ms of every descendant of this process, or null without /proc. */
export function childrenCpuMs(): number | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const parent = new Map<string, string>();
  const ticks = new Map<string, number>();
  for (const pid of pids) {
    const fields = statFields(pid);
    if (!fields) continue;
    // After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14); the last two
    // hold the children that ended (a backend whose pool connection was closed, in the postmaster's).
    parent.set(pid, fields[1]!);
    ticks.set(
      pid,
      fields.slice(11, 15).reduce((sum, t) => sum + Number(t), 0),
    );
  }
  const self = String(process.pid);
  const descends = (pid: string): boolean => {
    for (let at = parent.get(pid), hops = 0; at && hops < 64; at = parent.get(at), hops++) {
      if (at === self) return true;
    }
    return false;
  };
  let total = 0;
  for (const [pid, t] of ticks) if (descends(pid)) total += t;
  return (total / clockTicks()) * 1000;
}

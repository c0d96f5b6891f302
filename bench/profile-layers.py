#!/usr/bin/env python3
"""Folds async-profiler's collapsed stacks (with threads) into the layers of a submit, for profile-submit.sh.

Each sample goes to one layer: the deepest frame of its stack that matches a layer's pattern decides (so
Jackson under JsonBody.read is parsing, a HashMap.get under DispatcherServlet is MVC, a futex wait under
LockSupport.park is parking). Threads are put in groups by name (request threads, store writer, workers, GC,
JIT...); samples of the JVM's own threads go to their group's layer. Each group's CPU time comes from
/proc/PID/task (before and after the measured run), split over the layers by the share of that group's
samples, and divided by the accepted submits: µs of CPU per submit, per layer and per group.
"""
import argparse
import re
import sys
from collections import defaultdict

# (layer, pattern on a frame; '/' in class names is turned into '.'). The first pattern that a frame matches
# names its layer; the deepest frame that matches any pattern names the sample's layer.
LAYERS = [
    ("park/unpark, context switches", r"^(jdk\.internal\.misc\.Unsafe\.(park|unpark)|java\.util\.concurrent\.locks\.LockSupport\."
                                      r"|java\.lang\.Object\.(wait|notify)|Unsafe_(Park|Unpark)|Parker::|__futex|futex_|"
                                      r"pthread_cond_|ObjectMonitor::|__lll_lock|sched_yield|java\.lang\.Thread\.(sleep|yield|onSpinWait))"),
    ("socket I/O syscalls (read, write, epoll)", r"^(sun\.nio\.ch\.|Java_sun_nio_ch_|epoll_wait|__libc_(read|write|recv|send)|"
                                                 r"__GI___(libc_)?(read|write|writev|readv|recv|send)|writev$|__send$|__recv$)"),
    ("disk sync (fsync)", r"(fsync|fdatasync|unixSync)"),
    ("SQLite engine + JDBC + pool", r"^(org\.sqlite\.|sqlite3|Java_org_sqlite|com\.zaxxer\.hikari\.|org\.postgresql\.)"),
    ("logging", r"^(ch\.qos\.logback\.|org\.slf4j\.|org\.apache\.logging\.)"),
    ("canonical JSON + idempotency hash", r"^(dev\.quiesce\.jobs\.types\.JobTypes\.canonical|tools\.jackson\.databind\.ObjectMapper\.valueToTree|"
                                          r"dev\.quiesce\.jobs\.SubmitOptions\.canonical|dev\.quiesce\.requests\.JobIntake\.hash|"
                                          r"java\.security\.MessageDigest|sun\.security\.provider\.)"),
    ("validation (types, params binding, Bean Validation)", r"^(dev\.quiesce\.jobs\.types\.JobTypes\.validate|org\.hibernate\.validator\.|"
                                                             r"jakarta\.validation\.|org\.springframework\.validation\.)"),
    ("JSON parsing (body to tree / object)", r"^(dev\.quiesce\.web\.JsonBody|dev\.quiesce\.web\.SubmitOptionsReader|"
                                             r".*\.readWithMessageConverters|org\.springframework\.http\.converter\..*\.read)"),
    ("request body read (BoundedBody)", r"^dev\.quiesce\.web\.BoundedBody"),
    ("the answer (JSON write, headers)", r"^(dev\.quiesce\.web\.JobViewWriter|dev\.quiesce\.web\.JobView\.|"
                                         r".*\.writeWithMessageConverters|org\.springframework\.http\.converter\.)"),
    ("store: group-commit writer (quiesce code)", r"^dev\.quiesce\.store\."),
    ("jobs: claim, run, outcomes (quiesce code)", r"^dev\.quiesce\.(pool|processor|jobs)\."),
    ("request observation (Micrometer)", r"^(io\.micrometer\.|org\.springframework\.web\.filter\.ServerHttpObservationFilter|"
                                         r"org\.springframework\.http\.server\.observation\.|org\.springframework\.boot\.micrometer\.)"),
    ("Spring Security filter chain", r"^org\.springframework\.security\."),
    ("quiesce's own servlet filters", r"^dev\.quiesce\.(web\.BodyFirstFilter|web\.QueryStringCheck|ops\.)"),
    ("controller + intake (quiesce code)", r"^dev\.quiesce\.(web|requests|lifecycle)\."),
    ("other servlet filters (Spring web.filter)", r"^org\.springframework\.(web\.filter|boot\.web)\."),
    ("Spring MVC dispatch", r"^org\.springframework\."),
    ("Tomcat (connector, HTTP, container)", r"^(org\.apache\.(catalina|coyote|tomcat)\.|jakarta\.servlet\.)"),
]
COMPILED = [(name, re.compile(p)) for name, p in LAYERS]

# thread groups by the thread's name: (group, pattern, layer for every sample of it or None: by frames)
GROUPS = [
    ("request threads", r"^http-nio-.*-exec-|^tomcat-handler-|^virtual-", None),
    ("Tomcat poller/acceptor", r"^http-nio-.*-(Poller|Acceptor|ClientPoller|BlockPoller)", None),
    ("store writer", r"^quiesce-store-writer", None),
    ("workers + outcome processor", r"^quiesce-(worker|processor|lease|job-timeouts|part)", None),
    ("GC", r"^(GC Thread|G1 |VM Thread|GC_Thread|G1_)", "GC (collector threads)"),
    ("JIT compiler", r"^(C1 Compiler|C2 Compiler|C1_Compiler|C2_Compiler)", "JIT compiler"),
    ("other", r"", None),
]
UNATTRIBUTED = "other (JVM, JDK, unattributed)"


def group_of(name):
    for g, p, layer in GROUPS:
        if re.search(p, name):
            return g, layer
    return "other", None


def layer_of(frames):
    best = None
    for frame in frames:
        f = frame.replace("/", ".")
        if f.endswith("_[j]") or f.endswith("_[i]") or f.endswith("_[k]"):
            f = f[:-4]
        for name, rx in COMPILED:
            if rx.search(f):
                best = name
                break
    return best or UNATTRIBUTED


def read_threads(path):
    out = {}
    with open(path) as fh:
        for line in fh:
            parts = line.split(None, 4)
            if len(parts) == 5:
                out[parts[0]] = (int(parts[1]), int(parts[2]), int(parts[3]), parts[4].strip())
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--collapsed", required=True)
    ap.add_argument("--before", required=True)
    ap.add_argument("--after", required=True)
    ap.add_argument("--hz", type=float, default=100)
    ap.add_argument("--accepted", type=int, required=True)
    ap.add_argument("--title", default="")
    ap.add_argument("--unit", default="submit", help="what --accepted counts: submit (accepted submits) or job")
    ap.add_argument("--markdown")
    ap.add_argument("--tsv")
    a = ap.parse_args()

    samples = defaultdict(lambda: defaultdict(int))   # group -> layer -> samples
    tid_name = {}
    writer_kinds = defaultdict(int)
    with open(a.collapsed) as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line:
                continue
            stack, _, count = line.rpartition(" ")
            frames = stack.split(";")
            m = re.match(r"^\[(.*) tid=(\d+)\]$", frames[0])
            name = m.group(1) if m else frames[0]
            if m:
                tid_name[m.group(2)] = name
                frames = frames[1:]
            g, fixed = group_of(name)
            layer = fixed or layer_of(frames)
            samples[g][layer] += int(count)
            if g == "store writer":
                joined = ";".join(frames).replace("/", ".")
                kind = ("waiting for work" if layer == "park/unpark, context switches"
                        else "insert" if "JdbcJobStore.lambda$insert" in joined or "JdbcJobStore.insert" in joined
                        else "claim" if "Claims." in joined else "outcomes" if "Outcomes." in joined
                        else "commit" if ".commit" in joined else "other")
                writer_kinds[kind] += int(count)

    before, after = read_threads(a.before), read_threads(a.after)
    cpu = defaultdict(float)      # group -> µs of CPU per submit
    ctx = defaultdict(lambda: [0, 0])
    for tid, (t1, v1, n1, comm) in after.items():
        t0, v0, n0, _ = before.get(tid, (0, 0, 0, comm))
        name = tid_name.get(tid, comm.replace("_", " "))
        g, _ = group_of(name)
        cpu[g] += (t1 - t0) / a.hz * 1e6 / a.accepted
        ctx[g][0] += v1 - v0
        ctx[g][1] += n1 - n0

    groups = [g for g, _, _ in GROUPS if cpu.get(g, 0) > 0 or samples.get(g)]
    per = defaultdict(lambda: defaultdict(float))   # layer -> group -> µs
    for g in groups:
        total = sum(samples[g].values())
        if total == 0:
            per["(no samples)"][g] += cpu.get(g, 0)
            continue
        for layer, n in samples[g].items():
            per[layer][g] += cpu.get(g, 0) * n / total
    order = [n for n, _ in LAYERS] + [UNATTRIBUTED, "GC (collector threads)", "JIT compiler", "(no samples)"]
    total_us = sum(cpu.values())
    nsamples = sum(sum(v.values()) for v in samples.values())

    lines = []
    u = a.unit
    lines.append(f"#### CPU per {'accepted submit' if u == 'submit' else u} by layer — {a.title}")
    lines.append("")
    lines.append(f"{a.accepted} {'accepted submits' if u == 'submit' else u + 's'}; process CPU {total_us:.0f} µs/{u}; "
                 f"{nsamples} samples.")
    lines.append("")
    lines.append(f"| layer | µs/{u} | share | " + " | ".join(groups) + " |")
    lines.append("|---|---:|---:|" + "---:|" * len(groups))
    rows = []
    for layer in order:
        if layer not in per:
            continue
        s = sum(per[layer].values())
        rows.append((layer, s))
        lines.append(f"| {layer} | {s:.1f} | {100 * s / total_us:.1f} % | "
                     + " | ".join(f"{per[layer].get(g, 0):.1f}" for g in groups) + " |")
    lines.append(f"| **all** | **{total_us:.1f}** | 100 % | " + " | ".join(f"**{cpu.get(g, 0):.1f}**" for g in groups) + " |")
    lines.append("")
    lines.append(f"| thread group | µs CPU/{u} | voluntary ctx switches/{u} | involuntary/{u} |")
    lines.append("|---|---:|---:|---:|")
    for g in groups:
        lines.append(f"| {g} | {cpu.get(g, 0):.1f} | {ctx[g][0] / a.accepted:.2f} | {ctx[g][1] / a.accepted:.2f} |")
    if writer_kinds:
        wt = sum(writer_kinds.values())
        lines.append("")
        lines.append("Store writer samples by work: " + ", ".join(
            f"{k} {100 * v / wt:.0f} %" for k, v in sorted(writer_kinds.items(), key=lambda kv: -kv[1])))
    text = "\n".join(lines) + "\n"
    if a.markdown:
        with open(a.markdown, "w") as fh:
            fh.write(text)
    if a.tsv:
        with open(a.tsv, "w") as fh:
            fh.write("layer\tus_per_submit\t" + "\t".join(groups) + "\n")
            for layer, s in rows:
                fh.write(f"{layer}\t{s:.2f}\t" + "\t".join(f"{per[layer].get(g, 0):.2f}" for g in groups) + "\n")
    # key=value lines for results.tsv
    print(f"samples={nsamples}")
    for g in groups:
        print(f"cpu_us_{re.sub(r'[^a-z0-9]+', '_', g.lower()).strip('_')}={cpu.get(g, 0):.1f}")
    for layer, s in rows:
        print(f"layer_us_{re.sub(r'[^a-z0-9]+', '_', layer.lower()).strip('_')[:40]}={s:.1f}")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Where a generated job's time goes, from a JFR recording of the benchmark (bench/README.md).

    jfr print --events jdk.ExecutionSample --stack-depth 40 gen.jfr > samples.txt
    python3 bench/jfr-breakdown.py samples.txt 'Metric|Source'    # the task threads to count

Counts the execution samples of the job's task threads (names matching the pattern; the bench's
own threads, the broker's and Flink's RPC threads are left out) by the innermost frame of each
stack that falls in a category below (a sample in serialization called from an operator counts as
serialization). Prints a Markdown table, largest first.
"""
import collections
import re
import sys

CATEGORIES = [
    ('network out: serialize and write', r'RecordWriterOutput\.collect|RecordWriter\.emit|ChannelSelectorRecordWriter'),
    ('network in: read and deserialize', r'SpillingAdaptiveSpanningRecordDeserializer|StreamElementSerializer\.deserialize'),
    ('timers (register, delete, fire)', r'InternalTimerServiceImpl\.(register|delete)|HeapPriorityQueue|TimerHeapInternalTimer'),
    ('keyed state access', r'HeapValueState|HeapMapState|CopyOnWriteStateMap|StateTable'),
    ('metric: pre-aggregation', r'MetricPreAggregation'),
    ('metric: filter, key, observation', r'MetricInput\.flatMap'),
    ('funnel: step matching', r'FunnelInput\.flatMap'),
    ('retention: cohort and return matching', r'RetentionInput\.flatMap'),
    ('funnel: attempts per actor', r'FunnelAttempts'),
    ('funnel: rows', r'FunnelRows'),
    ('retention: members per actor', r'RetentionMembers'),
    ('retention: cohorts', r'RetentionRows'),
    ('metric: windows', r'MetricWindowProcess'),
    ('group limit', r'GroupLimit'),
    ('JSON parsing and admission checks', r'KafkaEventDeserializer|EventParser'),
    ('sink to postgres', r'PostgresUpsertSink|org\.postgresql'),
]
# counted wherever it is on the stack: its state accesses are its own cost
TTL_CLEANUP = 'TtlIncrementalCleanup'
NOT_THE_JOB = ('main', 'data-plane', 'kafka', 'flink-pekko', 'Quorum', 'EventHandler', 'jobmanager', 'flink-metrics', 'JFR')


def samples(path):
    thread, frames = None, None
    for line in open(path, errors='replace'):
        line = line.rstrip('\n')
        if line.startswith('jdk.ExecutionSample'):
            thread, frames = None, []
        elif line.startswith('  sampledThread'):
            m = re.match(r'  sampledThread = "(.*)" \(javaThreadId', line)
            thread = m.group(1) if m else line
        elif line.startswith('    ') and frames is not None:
            frames.append(line.strip())
        elif line == '}' and frames is not None:
            yield thread, frames
            frames = None


def category(thread, frames):
    if thread.startswith('Source Data Fetcher'):
        return 'kafka fetch (consumer thread)'
    if any(TTL_CLEANUP in f for f in frames):
        return 'state TTL cleanup'
    for frame in frames:
        for name, pattern in CATEGORIES:
            if re.search(pattern, frame):
                return name
    return 'other (task loop, watermarks, Flink runtime)'


def main():
    path, threads = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else '.'
    counts = collections.Counter(category(t, f) for t, f in samples(path)
                                 if re.search(threads, t) and not t.startswith(NOT_THE_JOB))
    total = sum(counts.values())
    print(f'{total} samples of the threads matching {threads!r}\n')
    print('| where | share |\n|---|---|')
    for name, n in counts.most_common():
        print(f'| {name} | {100 * n / total:.0f}% |')


if __name__ == '__main__':
    main()

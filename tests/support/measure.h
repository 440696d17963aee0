#pragma once

#include <QList>

// Small measuring helpers shared by the tests and the benchmarks.
namespace mc::test {

// A field of /proc/PID/status in kB ("VmRSS:", "RssAnon:", ...); pid 0 is
// this process. -1 when it cannot be read.
qint64 procStatusKb(qint64 pid, const char *field = "VmRSS:");

// The p-quantile (0..1) of values, nearest rank; 0 for none.
double percentile(QList<double> values, double p);

} // namespace mc::test

// mc-bench-agent: a `command` agent for benchmarks. Prints N short lines as
// fast as it can, each carrying its write time (ns since the epoch), so the
// load generator can measure write-to-receipt latency.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>

int main(int argc, char **argv)
{
    const long lines = argc > 1 ? std::atol(argv[1]) : 1000;
    // Consume the prompt first, as a real agent would.
    char buffer[4096];
    while (std::fread(buffer, 1, sizeof buffer, stdin) > 0) {
    }
    for (long i = 1; i <= lines; ++i) {
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                std::chrono::system_clock::now().time_since_epoch()).count();
        std::printf("l %ld t %lld\n", i, static_cast<long long>(ns));
        if (i % 64 == 0)
            std::fflush(stdout);
    }
    return 0;
}

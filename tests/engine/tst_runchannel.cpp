// The channel between a run's worker thread and the main thread, with plain
// threads (so ThreadSanitizer, which cannot see inside Debian's Qt, checks all
// of it): five producers at full speed and one consumer lose, duplicate and
// reorder nothing; a full queue blocks its producer until the consumer takes
// or the run is cancelled.

#include "deliverabletext.h"
#include "runchannel.h"

#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;

class TestRunChannel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fiveProducersOneConsumer();
    void fullQueueBlocksUntilTakenOrCancelled();
    void queueIsBoundedByBytes();
    void deliverableIsMessagesOnly();
};

void TestRunChannel::fiveProducersOneConsumer()
{
    constexpr int kRuns = 5;
    constexpr int kChunks = 20000;
    std::atomic<int> wakes{0};
    std::vector<std::unique_ptr<mc::RunChannel>> channels;
    for (int r = 0; r < kRuns; ++r)
        channels.push_back(std::make_unique<mc::RunChannel>(u"run%1"_s.arg(r), u"task%1"_s.arg(r), [&] { ++wakes; }));
    std::atomic<int> finished{0};
    std::vector<std::thread> producers;
    for (int r = 0; r < kRuns; ++r) {
        producers.emplace_back([&, r] {
            for (int i = 1; i <= kChunks; ++i)
                channels[size_t(r)]->output(i % 7 == 0 ? u"tool_use"_s : u"message"_s, QString::number(i));
            ++finished;
        });
    }
    std::vector<qint64> lastSeq(kRuns, 0);
    bool inOrder = true;
    qsizetype largestSlice = 0;
    while (finished.load() < kRuns || std::any_of(channels.begin(), channels.end(), [](auto &c) { return !c->isEmpty(); })) {
        for (int r = 0; r < kRuns; ++r) {
            if (channels[size_t(r)]->isEmpty())   // asked while the producer writes, as drain() does
                continue;
            bool more = false;
            const QList<mc::OutputChunk> slice = channels[size_t(r)]->take(256, &more);
            largestSlice = qMax(largestSlice, slice.size());
            for (const mc::OutputChunk &c : slice) {
                inOrder = inOrder && c.seq == lastSeq[size_t(r)] + 1 && c.content == QString::number(c.seq)
                        && c.runId == u"run%1"_s.arg(r) && !c.timestamp.isEmpty();
                lastSeq[size_t(r)] = c.seq;
            }
        }
    }
    for (std::thread &t : producers)
        t.join();
    QVERIFY(inOrder);
    for (int r = 0; r < kRuns; ++r)
        QCOMPARE(lastSeq[size_t(r)], qint64(kChunks));
    QVERIFY(largestSlice <= 256);
    QVERIFY(wakes.load() >= kRuns);   // at least once per run, not once per chunk
    QVERIFY(wakes.load() < kRuns * kChunks);
}

void TestRunChannel::fullQueueBlocksUntilTakenOrCancelled()
{
    mc::RunChannel channel(u"run"_s, u"task"_s, [] {});
    const int capacity = int(mc::RunChannel::maxQueuedBytes / mc::RunChannel::footprint(u"line"_s));
    std::atomic<int> written{0};
    std::atomic<bool> stop{false};
    std::atomic<bool> returned{false};
    std::thread producer([&] {
        while (!stop.load() && written.load() < 3 * capacity) {
            channel.output(u"message"_s, u"line"_s);
            ++written;
        }
        returned = true;
    });
    QTRY_COMPARE(written.load(), capacity);
    QTest::qWait(200);
    QCOMPARE(written.load(), capacity);   // blocked on the full queue
    bool more = false;
    QCOMPARE(channel.take(100, &more).size(), 100);
    QVERIFY(more);
    QTRY_COMPARE(written.load(), capacity + 100);   // room for exactly 100 more
    QTest::qWait(200);
    QVERIFY(!returned.load());   // blocked again on the full queue
    stop = true;
    channel.cancel();   // a cancelled run is never blocked
    QTRY_VERIFY_WITH_TIMEOUT(returned.load(), 2000);
    producer.join();
}

void TestRunChannel::queueIsBoundedByBytes()
{
    // 1 MiB chunks: the queue holds a few megabytes, not 2048 chunks (2 GiB of text).
    mc::RunChannel channel(u"run"_s, u"task"_s, [] {});
    const QString big(1024 * 1024, u'x');
    std::atomic<int> written{0};
    std::atomic<bool> returned{false};
    std::thread producer([&] {
        for (int i = 0; i < 64 && !channel.cancelled(); ++i) {
            channel.output(u"message"_s, big);
            ++written;
        }
        returned = true;
    });
    const int capacity = int(qMax<qint64>(1, mc::RunChannel::maxQueuedBytes / mc::RunChannel::footprint(big)));
    QTRY_COMPARE(written.load(), capacity);
    QTest::qWait(200);
    QCOMPARE(written.load(), capacity);
    QVERIFY(qint64(written.load()) * big.size() * 2 <= mc::RunChannel::maxQueuedBytes);
    channel.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(returned.load(), 2000);
    producer.join();
}

void TestRunChannel::deliverableIsMessagesOnly()
{
    // tool_use and tool_result never reach the deliverable (PocketPaw's test_execute_task_success).
    mc::RunChannel streamed(u"r"_s, u"t"_s, [] {});
    streamed.output(u"message"_s, u"Starting task..."_s);
    streamed.output(u"tool_use"_s, u"Using tool: search"_s);
    streamed.output(u"tool_result"_s, u"Found results"_s);
    streamed.output(u"message"_s, u"Completing task."_s);
    QCOMPARE(streamed.deliverable(), u"Starting task...Completing task."_s);
    // Lines without their break get it back; lines that keep it are joined as they are.
    mc::RunChannel lines(u"r"_s, u"t"_s, [] {}, u"\n"_s);
    lines.output(u"message"_s, u"first"_s);
    lines.output(u"message"_s, u"second\n"_s);
    lines.output(u"message"_s, u"third\n"_s);
    QCOMPARE(lines.deliverable(), u"first\nsecond\nthird\n"_s);
    mc::DeliverableText big;
    big.append(QString(mc::DeliverableText::limit - 1, u'a'));
    big.append(u"bc"_s);
    big.append(u"never"_s);
    QVERIFY(big.text().startsWith(QString(mc::DeliverableText::limit - 1, u'a') + u"b\n\n[output truncated"_s));
    QVERIFY(!big.text().contains(u"never"_s));
}

QTEST_GUILESS_MAIN(TestRunChannel)
#include "tst_runchannel.moc"

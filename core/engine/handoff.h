#pragma once

#include <QMetaObject>
#include <QObject>

#include <future>
#include <utility>

// Under ThreadSanitizer (-fsanitize=thread) the hand-overs between threads
// that go through Qt -- its event queue, QThreadPool -- are announced to TSan.
// Debian's Qt is not instrumented: TSan cannot see the futex that orders the
// two sides and would report every queued call as a race. Without TSan these
// are plain QMetaObject::invokeMethod calls.
#if defined(__SANITIZE_THREAD__)
#define MC_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define MC_TSAN 1
#endif
#endif

#ifdef MC_TSAN
extern "C" {
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
void __tsan_ignore_thread_begin();
void __tsan_ignore_thread_end();
}
#endif

namespace mc {

// What this thread wrote before handOver(token) is visible to the thread that
// calls takeOver(token) after it (the hand-over itself goes through Qt).
inline void handOver([[maybe_unused]] const void *token)
{
#ifdef MC_TSAN
    __tsan_release(const_cast<void *>(token));
#endif
}

inline void takeOver([[maybe_unused]] const void *token)
{
#ifdef MC_TSAN
    __tsan_acquire(const_cast<void *>(token));
#endif
}

// Runs work on receiver's thread, later (queued).
template<typename F>
void runOn(QObject *receiver, F &&work)
{
#ifdef MC_TSAN
    handOver(receiver);
    // Qt copies the functor into its event on this thread and reads it on the
    // other; those copies are ordered by Qt's queue, not by anything TSan sees.
    __tsan_ignore_thread_begin();
    QMetaObject::invokeMethod(
            receiver,
            [receiver, work = std::forward<F>(work)]() mutable {
                takeOver(receiver);
                work();
            },
            Qt::QueuedConnection);
    __tsan_ignore_thread_end();
#else
    QMetaObject::invokeMethod(receiver, std::forward<F>(work), Qt::QueuedConnection);
#endif
}

// Runs work on receiver's (other) thread and waits until it is done; what it
// wrote is then visible here.
template<typename F>
void runOnAndWait(QObject *receiver, F &&work)
{
#ifdef MC_TSAN
    // Qt's blocking call hands this thread's stack to the other one and back
    // through a semaphore TSan cannot see; a promise it can.
    std::promise<void> done;
    runOn(receiver, [&] {
        work();
        done.set_value();
    });
    done.get_future().wait();
#else
    QMetaObject::invokeMethod(receiver, std::forward<F>(work), Qt::BlockingQueuedConnection);
#endif
}

} // namespace mc

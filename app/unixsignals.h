#pragma once

#include <QObject>

class QSocketNotifier;

namespace mc {

// Turns SIGINT/SIGTERM into a Qt signal on the main thread (self-pipe trick),
// so shutdown runs in the event loop, not in a signal handler.
class UnixSignals final : public QObject
{
    Q_OBJECT

public:
    explicit UnixSignals(QObject *parent = nullptr);
    ~UnixSignals() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace mc

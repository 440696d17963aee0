#pragma once

#include <QMainWindow>
#include <QUrl>

class QLabel;

namespace mc {

class Executor;
class Store;

// The main window: server address, access token, running tasks.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(Store &store, Executor &executor, QUrl serverUrl, QString token, QWidget *parent = nullptr);

private:
    Store &m_store;
    Executor &m_executor;
    QString m_token;
    QLabel *m_running = nullptr;
};

} // namespace mc

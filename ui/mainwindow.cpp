#include "mainwindow.h"

#include "executor.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QPushButton>
#include <QStatusBar>
#include <QVBoxLayout>

namespace mc {

MainWindow::MainWindow(Store &store, Executor &executor, QUrl serverUrl, QString token, QWidget *parent)
    : QMainWindow(parent)
    , m_store(store)
    , m_executor(executor)
    , m_token(std::move(token))
{
    setWindowTitle(u"Mission Control"_qs);
    resize(1000, 700);
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    auto *url = new QLabel(u"API: <b>%1/api/mission-control</b>"_qs.arg(serverUrl.toString()), central);
    url->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(url);
    layout->addStretch();
    setCentralWidget(central);

    auto *copy = new QPushButton(u"Copy token"_qs, this);
    copy->setToolTip(u"Copy the API access token to the clipboard"_qs);
    connect(copy, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_token);
        statusBar()->showMessage(u"Token copied"_qs, 3000);
    });
    m_running = new QLabel(this);
    const auto showRunning = [this](int running, int max) { m_running->setText(u"running %1/%2"_qs.arg(running).arg(max)); };
    showRunning(m_executor.running(), m_executor.maxConcurrent());
    connect(&m_executor, &Executor::runningChanged, this, showRunning);
    statusBar()->addPermanentWidget(new QLabel(serverUrl.toString(), this));
    statusBar()->addPermanentWidget(m_running);
    statusBar()->addPermanentWidget(copy);
}

} // namespace mc

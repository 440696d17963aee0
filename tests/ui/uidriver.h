#pragma once

// Driving modal dialogs and message boxes like a user, and saving screenshots
// of real windows for the AppStream metadata (build/screenshots/*.png).

#include <QAbstractButton>
#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QMessageBox>
#include <QTest>
#include <QTimer>
#include <QWidget>

#include <functional>

namespace mc::test {

// Runs `interact` on the next modal dialog (waiting up to 10 s for it), then
// accepts it unless `interact` closed it.
inline void onNextDialog(const std::function<void(QDialog *)> &interact, bool accept = true)
{
    auto *timer = new QTimer(qApp);
    timer->setObjectName(QStringLiteral("mc-dialog-driver"));
    auto *tries = new int(0);
    timer->setInterval(50);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, tries, interact, accept] {
        auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
        if (!dialog && ++*tries < 200)
            return;
        timer->stop();
        timer->deleteLater();
        delete tries;
        QVERIFY2(dialog, "no modal dialog opened");
        interact(dialog);
        if (dialog->isVisible())
            QMetaObject::invokeMethod(dialog, accept ? "accept" : "reject", Qt::QueuedConnection);
    });
    timer->start();
}

// Drivers still waiting when a test function ends would act on the next
// test's dialogs (and on the ended test's variables): they are stopped.
inline void cancelDialogDrivers()
{
    const QList<QTimer *> waiting = qApp->findChildren<QTimer *>(QStringLiteral("mc-dialog-driver"));
    for (QTimer *timer : waiting)
        delete timer;
}

// Clicks `button` on the next message box; stores its text in *text.
inline void answerNextMessageBox(QMessageBox::StandardButton button, QString *text = nullptr)
{
    onNextDialog([button, text](QDialog *dialog) {
        auto *box = qobject_cast<QMessageBox *>(dialog);
        QVERIFY2(box, "the modal dialog is not a message box");
        if (text)
            *text = box->text();
        QVERIFY(box->button(button));
        box->button(button)->click();
    });
}

inline QString screenshotPath(const QString &name)
{
    QDir().mkpath(QStringLiteral(MC_SCREENSHOT_DIR));
    return QDir(QStringLiteral(MC_SCREENSHOT_DIR)).filePath(name + QStringLiteral(".png"));
}

inline bool saveScreenshot(QWidget *widget, const QString &name)
{
    const QString path = screenshotPath(name);
    const bool saved = widget->grab().save(path);
    qInfo() << "screenshot" << path << widget->size();
    return saved;
}

} // namespace mc::test

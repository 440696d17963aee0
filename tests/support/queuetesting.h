#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace mc::test {

// A command agent running `script` under /bin/sh -c.
QJsonObject shellAgent(const QString &name, const QString &script);
// A script that waits (at most 30 s) until `gateFile` exists, then prints a line:
// runs stay in their slots until the test opens the gate.
QString gatedScript(const QString &gateFile);
// The most runs that were running at once, from mc_task_started and
// mc_task_completed events in the order they arrived.
int mostAtOnce(const QList<QJsonObject> &messages);
// Task ids of the mc_task_started events, in order.
QStringList startedOrder(const QList<QJsonObject> &messages);

} // namespace mc::test

#pragma once

#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace mc::test {

class HttpClient;
class WsClient;

// One run of an agent as a client sees it: the WebSocket events of its task,
// the stored run and the task's deliverable.
struct AgentRun
{
    QString taskId;
    QString runId;                            // empty when the start was refused
    int startStatus = 0;
    QByteArray startBody;
    QJsonObject completed;                    // mc_task_completed data
    QList<QPair<QString, QString>> chunks;    // (output_type, content) of mc_task_output
    QJsonObject run;                          // GET /runs/{id}
    QString deliverable;                      // the deliverable document's content
    int documents = 0;                        // deliverable documents of the task

    QString concatenated() const;
    QString types() const;                    // m = message, t = tool_use, r = tool_result
    QStringList contents(const QString &type) const;

    // Starts agentId on a new task titled `title`.
    static AgentRun start(HttpClient &client, const QString &agentId, const QString &title);
    // Waits (at most timeoutMs) for the run's end, then reads what it left.
    void finish(HttpClient &client, WsClient &ws, int timeoutMs = 30000);
};

} // namespace mc::test

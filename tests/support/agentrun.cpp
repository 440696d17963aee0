#include "agentrun.h"

#include "httpclient.h"
#include "wsclient.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace mc::test {

QString AgentRun::concatenated() const
{
    QString all;
    for (const auto &c : chunks)
        all += c.second;
    return all;
}

QString AgentRun::types() const
{
    QString s;
    for (const auto &c : chunks)
        s += c.first == u"message"_s ? u'm' : c.first == u"tool_use"_s ? u't' : u'r';
    return s;
}

QStringList AgentRun::contents(const QString &type) const
{
    QStringList out;
    for (const auto &c : chunks) {
        if (c.first == type)
            out.append(c.second);
    }
    return out;
}

AgentRun AgentRun::start(HttpClient &client, const QString &agentId, const QString &title)
{
    AgentRun r;
    r.taskId = client.createTask({{u"title"_s, title}});
    const HttpResponse started = client.post(api + u"/tasks/"_s + r.taskId + u"/run"_s, {{u"agent_id"_s, agentId}});
    r.startStatus = started.status;
    r.startBody = started.body;
    if (started.status == 200)
        r.runId = started.object().value(u"run_id"_s).toString();
    return r;
}

void AgentRun::finish(HttpClient &client, WsClient &ws, int timeoutMs)
{
    if (runId.isEmpty())
        return;
    ws.waitFor([&](const QList<QJsonObject> &) {
        for (const QJsonObject &e : ws.events(u"mc_task_completed"_s)) {
            if (e.value(u"task_id"_s).toString() == taskId)
                completed = e;
        }
        return !completed.isEmpty();
    }, timeoutMs);
    for (const QJsonObject &e : ws.events(u"mc_task_output"_s)) {
        if (e.value(u"task_id"_s).toString() == taskId)
            chunks.append({e.value(u"output_type"_s).toString(), e.value(u"content"_s).toString()});
    }
    run = client.get(api + u"/runs/"_s + runId).object().value(u"run"_s).toObject();
    for (const QJsonValue &d : client.get(api + u"/tasks/"_s + taskId + u"/documents"_s).object().value(u"documents"_s).toArray()) {
        if (d.toObject().value(u"type"_s).toString() == u"deliverable"_s) {
            deliverable = d.toObject().value(u"content"_s).toString();
            ++documents;
        }
    }
}

} // namespace mc::test

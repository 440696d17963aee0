#pragma once

#include "store.h"

namespace mc {

// Documents (deliverables, research, ...) with versioning and task links.
class DocumentRepository final
{
public:
    explicit DocumentRepository(Store &store) : m_store(store) {}

    Page list(const QString &type, const QString &taskId, const QStringList &tags, int limit);
    // Logs a document_created activity: `activityMessage`, or PocketPaw's
    // "<author> created document: <title>".
    QJsonObject create(const QJsonObject &body, const QString &activityMessage = {});
    QJsonObject get(const QString &id);
    QJsonObject update(const QString &id, const QString &content, const QJsonValue &editorId);
    void remove(const QString &id);
    QJsonObject attach(const QString &taskId, const QString &documentId);

    // For views, without reading contents (a deliverable can be a megabyte):
    struct Head
    {
        QString id;
        QString title;
        int version = 0;
        QString updatedAt;
        QString runId;   // metadata.run_id of a run's deliverable, else empty
    };
    QList<Head> headsForTask(const QString &taskId, int limit);   // newest first
    QString taskIdOf(const QString &id);                          // empty if none
    // The first maxChars characters of the content; *totalChars gets its length.
    QString contentPrefix(const QString &id, qsizetype maxChars, qsizetype *totalChars);

private:
    Store &m_store;
};

} // namespace mc

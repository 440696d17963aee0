#pragma once

#include "store.h"

namespace mc {

// Task message threads with @mention extraction and notifications.
class MessageRepository final
{
public:
    explicit MessageRepository(Store &store) : m_store(store) {}

    Page listForTask(const QString &taskId, int limit);
    QJsonObject post(const QString &taskId, const QJsonObject &body);
    // Lowercased, unique @names in order of appearance.
    static QStringList extractMentions(const QString &content);

private:
    Store &m_store;
};

} // namespace mc

#pragma once

#include <QJsonArray>
#include <QJsonValue>
#include <QString>

#include <exception>

namespace mc {

// The one exception type of the application. Thrown anywhere below the server,
// mapped to an HTTP status and a {"detail": ...} body in exactly one place.
class ApiError final : public std::exception
{
public:
    ApiError(int status, QJsonValue detail);

    static ApiError notFound(const QString &detail) { return {404, detail}; }
    static ApiError badRequest(const QString &detail) { return {400, detail}; }
    static ApiError conflict(const QString &detail) { return {409, detail}; }
    static ApiError validation(const QJsonArray &errors) { return {422, errors}; }
    // A single 422 entry in pydantic's shape.
    static ApiError invalid(const QJsonArray &loc, const QString &type, const QString &msg,
                            const QJsonValue &input);

    int status() const { return m_status; }
    const QJsonValue &detail() const { return m_detail; }
    const char *what() const noexcept override { return m_what.constData(); }

private:
    int m_status;
    QJsonValue m_detail;
    QByteArray m_what;
};

// Internal failure that must never reach a client verbatim (SQL errors, I/O).
// storageFull: the disk holding the database is full (a 507 for the client,
// and worth retrying once space returns).
class StoreError final : public std::exception
{
public:
    explicit StoreError(QString message, bool storageFull = false, bool transient = false)
        : m_message(std::move(message)), m_what(m_message.toUtf8()), m_storageFull(storageFull), m_transient(transient)
    {
    }
    const QString &message() const { return m_message; }
    bool storageFull() const { return m_storageFull; }
    // The database aborted the transaction in favour of another one (a
    // deadlock between instances): the same work succeeds when run again.
    bool transient() const { return m_transient; }
    const char *what() const noexcept override { return m_what.constData(); }

private:
    QString m_message;
    QByteArray m_what;
    bool m_storageFull = false;
    bool m_transient = false;
};

} // namespace mc

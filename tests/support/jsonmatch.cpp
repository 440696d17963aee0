#include "jsonmatch.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace mc::test {

bool jsonContains(const QJsonValue &actual, const QJsonValue &expected, QString *why, const QString &where)
{
    if (expected.isObject()) {
        if (!actual.isObject()) {
            if (why)
                *why = where + u": expected an object"_s;
            return false;
        }
        const QJsonObject a = actual.toObject();
        const QJsonObject e = expected.toObject();
        for (auto it = e.begin(); it != e.end(); ++it) {
            if (!a.contains(it.key())) {
                if (why)
                    *why = where + u"."_s + it.key() + u": missing"_s;
                return false;
            }
            if (!jsonContains(a.value(it.key()), it.value(), why, where + u"."_s + it.key()))
                return false;
        }
        return true;
    }
    if (expected.isArray()) {
        const QJsonArray a = actual.toArray();
        const QJsonArray e = expected.toArray();
        if (!actual.isArray() || a.size() != e.size()) {
            if (why)
                *why = where + u": expected an array of %1"_s.arg(e.size());
            return false;
        }
        for (qsizetype i = 0; i < e.size(); ++i) {
            if (!jsonContains(a.at(i), e.at(i), why, where + u"["_s + QString::number(i) + u"]"_s))
                return false;
        }
        return true;
    }
    if (actual != expected) {
        if (why) {
            const auto text = [](const QJsonValue &v) {
                return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact));
            };
            *why = where + u": got "_s + text(actual) + u", expected "_s + text(expected);
        }
        return false;
    }
    return true;
}

} // namespace mc::test

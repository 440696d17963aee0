#include "shellwords.h"

#include <QCoreApplication>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mc {

namespace {
bool isBlank(QChar c)
{
    return c == u' ' || c == u'\t' || c == u'\n';
}
} // namespace

ShellWords splitShellWords(QStringView line)
{
    ShellWords out;
    QString word;
    bool inWord = false;   // "" is a word: a quote starts one
    const qsizetype n = line.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = line.at(i);
        if (isBlank(c)) {
            if (inWord)
                out.words.append(std::exchange(word, {}));
            inWord = false;
            continue;
        }
        inWord = true;
        if (c == u'\\') {
            if (i + 1 >= n) {
                out.error = QCoreApplication::translate("ShellWords", "a backslash at the end escapes nothing");
                return out;
            }
            if (line.at(++i) != u'\n')   // backslash-newline joins lines
                word += line.at(i);
        } else if (c == u'\'') {
            const qsizetype end = line.indexOf(u'\'', i + 1);
            if (end < 0) {
                out.error = QCoreApplication::translate("ShellWords", "a single quote (') is not closed");
                return out;
            }
            word += line.mid(i + 1, end - i - 1);
            i = end;
        } else if (c == u'"') {
            qsizetype j = i + 1;
            for (; j < n && line.at(j) != u'"'; ++j) {
                const QChar d = line.at(j);
                if (d == u'\\' && j + 1 < n) {
                    const QChar next = line.at(j + 1);
                    if (next == u'"' || next == u'\\' || next == u'$' || next == u'`') {
                        word += next;
                        ++j;
                        continue;
                    }
                    if (next == u'\n') {
                        ++j;
                        continue;
                    }
                }
                word += d;
            }
            if (j >= n) {
                out.error = QCoreApplication::translate("ShellWords", "a double quote (\") is not closed");
                return out;
            }
            i = j;
        } else {
            word += c;
        }
    }
    if (inWord)
        out.words.append(word);
    return out;
}

QString joinShellWords(const QStringList &words)
{
    QStringList quoted;
    for (const QString &w : words) {
        const bool plain = !w.isEmpty() && std::all_of(w.begin(), w.end(), [](QChar c) {
            return c.isLetterOrNumber() || QStringView(u"-_./=:,+@%").contains(c);
        });
        quoted.append(plain ? w : QString(u'\'' + QString(w).replace(u"'"_s, u"'\\''"_s) + u'\''));
    }
    return quoted.join(u' ');
}

} // namespace mc

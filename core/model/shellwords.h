#pragma once

#include <QString>
#include <QStringList>

namespace mc {

// A command line split into arguments the way a POSIX shell does for a simple
// command: blanks separate words; 'single quotes' keep everything literally;
// "double quotes" keep everything but \" \\ \$ \` and backslash-newline;
// outside quotes a backslash keeps the next character. No expansion ($VAR,
// ~, globs) and no operators: the words go to the program as they are.
struct ShellWords
{
    QStringList words;
    QString error;   // empty when the line parsed: "unterminated single quote", ...
    bool ok() const { return error.isEmpty(); }
};

ShellWords splitShellWords(QStringView line);
// The words quoted back so a shell would read the same argv (for display).
QString joinShellWords(const QStringList &words);

} // namespace mc

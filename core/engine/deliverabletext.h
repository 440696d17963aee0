#pragma once

#include <QString>

namespace mc {

// A run's deliverable, built from its `message` chunks only (tool_use and
// tool_result stay out, as in PocketPaw's executor): their text joined as
// printed, so that it equals the concatenation of the run's message chunks.
// Bounded: past the limit the rest is left out and a note says where to find it.
class DeliverableText final
{
public:
    // separator: what a backend that sends pieces without their line break
    // leaves out between two of them (the command backend a "\n" between
    // lines, the agent CLIs a "\n\n" between text blocks); it is put back only
    // where the text does not already end with a line break, so once a backend
    // keeps its line endings the deliverable is exactly the concatenation.
    explicit DeliverableText(QString separator = {}) : m_separator(std::move(separator)) {}

    void append(const QString &content);
    QString text() const;

    static constexpr qsizetype limit = 1024 * 1024;

private:
    QString m_text;
    QString m_separator;
    bool m_truncated = false;
};

} // namespace mc

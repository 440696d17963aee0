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
    // lineOriented: the backend delivers lines without their line break (the
    // command backend before it keeps line endings); a break is put back
    // between two such chunks, never added where the text already has one.
    explicit DeliverableText(bool lineOriented = false) : m_lineOriented(lineOriented) {}

    void append(const QString &content);
    QString text() const;

    static constexpr qsizetype limit = 1024 * 1024;

private:
    QString m_text;
    bool m_lineOriented = false;
    bool m_truncated = false;
};

} // namespace mc

#include "deliverabletext.h"

using namespace Qt::StringLiterals;

namespace mc {

void DeliverableText::append(const QString &content)
{
    if (m_truncated)
        return;
    if (!m_separator.isEmpty() && !m_text.isEmpty() && !m_text.endsWith(u'\n'))
        m_text += m_separator;
    if (m_text.size() + content.size() > limit) {
        m_text += QStringView(content).left(qMax<qsizetype>(0, limit - m_text.size()));
        m_truncated = true;
        return;
    }
    m_text += content;
}

QString DeliverableText::text() const
{
    if (!m_truncated)
        return m_text;
    return m_text + u"\n\n[output truncated at 1 MB; the full output is in the run's stored output]"_s;
}

} // namespace mc

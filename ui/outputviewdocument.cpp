// Chunks into the pane's text document: styled by kind (tool calls and results
// apart from the agent's text), inserted in batches, each block marked with
// the sequence number of the chunk that starts it; appended at the tail,
// prepended for an earlier page, trimmed at the top to maxBlocks.

#include "outputview.h"

#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>

using namespace Qt::StringLiterals;

namespace mc {

namespace {
struct Formats
{
    QTextCharFormat message, tool, result;
    explicit Formats(const QPalette &palette)
    {
        message.setForeground(palette.color(QPalette::Text));
        tool.setForeground(palette.color(QPalette::Link));
        tool.setFontWeight(QFont::DemiBold);
        result.setForeground(palette.color(QPalette::PlaceholderText));
    }
};

// A chunk carries its line break as printed; the block that follows stands for it.
QString withoutLineEnd(const QString &content)
{
    if (content.endsWith(u"\r\n"_s))
        return content.chopped(2);
    if (content.endsWith(u'\n'))
        return content.chopped(1);
    return content;
}

const QString toolPrefix = u"▶ tool: "_s;
const QString resultPrefix = u"◀ result: "_s;

// A tool's input or result can be a whole file: the pane shows its beginning
// (one huge block would be laid out on every refresh); the API has all of it.
QString cutToolText(const QString &content)
{
    if (content.size() <= OutputView::maxToolChars)
        return content;
    return content.left(OutputView::maxToolChars)
            + OutputView::tr(" … [%1 more characters in the run's stored output]").arg(content.size() - OutputView::maxToolChars);
}

// Where QTextCursor::insertText starts a new block ("\r\n" is one break).
int blockBreaks(const QString &text)
{
    int breaks = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar ch = text.at(i);
        if (ch == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n')
            continue;   // counted at its \n
        if (ch == u'\n' || ch == u'\r' || ch == QChar::ParagraphSeparator || ch == QChar(0xfdd0) || ch == QChar(0xfdd1))
            ++breaks;
    }
    return breaks;
}
} // namespace

void OutputView::insertChunks(QTextCursor &cursor, const QList<OutputChunk> &chunks, bool joinFirst)
{
    // Each block remembers the sequence number of the chunk that starts it.
    // Consecutive chunks of one kind go in with one insertText: one document
    // change instead of two per line (what made a page of output slow).
    const Formats formats(m_text->palette());
    QString lastType = joinFirst ? m_lastType : QString();
    bool first = true;
    QString batch;
    const QTextCharFormat *batchFormat = nullptr;
    QList<QPair<int, qint64>> starts;   // block index in the batch -> seq
    int batchBlocks = 0;
    const auto insertBatch = [&] {
        if (!batchFormat)
            return;
        const int at = cursor.position();
        cursor.insertText(batch, *batchFormat);
        QTextBlock block = cursor.document()->findBlock(at);
        int index = 0;
        for (const auto &[blockIndex, seq] : std::as_const(starts)) {
            for (; index < blockIndex && block.isValid(); ++index)
                block = block.next();
            block.setUserState(int(seq));
        }
        batch.clear();
        starts.clear();
        batchBlocks = 0;
        batchFormat = nullptr;
    };
    for (const OutputChunk &chunk : chunks) {
        const bool inlineText = m_inlineMessages && chunk.type == u"message"_s && lastType == u"message"_s;
        const QTextCharFormat *format = chunk.type == u"tool_use"_s      ? &formats.tool
                                      : chunk.type == u"tool_result"_s ? &formats.result
                                                                         : &formats.message;
        if (format != batchFormat) {
            insertBatch();
            batchFormat = format;
        }
        if (!inlineText) {
            if (!first || (joinFirst && !m_text->document()->isEmpty())) {
                batch += u'\n';
                ++batchBlocks;
            }
            starts.append({batchBlocks, chunk.seq});
        }
        first = false;
        lastType = chunk.type;
        const QString text = chunk.type == u"tool_use"_s      ? QString(toolPrefix + cutToolText(chunk.content))
                           : chunk.type == u"tool_result"_s ? QString(resultPrefix + cutToolText(chunk.content))
                           : m_inlineMessages               ? chunk.content
                                                            : withoutLineEnd(chunk.content);
        batch += text;
        batchBlocks += blockBreaks(text);
    }
    insertBatch();
    if (joinFirst)
        m_lastType = lastType;
}

void OutputView::appendChunks(const QList<OutputChunk> &input)
{
    QList<OutputChunk> chunks;
    for (const OutputChunk &chunk : input) {
        if (chunk.seq > m_lastSeq) {
            chunks.append(chunk);
            m_lastSeq = chunk.seq;
        }
    }
    if (chunks.isEmpty())
        return;
    QScrollBar *bar = m_text->verticalScrollBar();
    const bool follow = following();
    if (m_firstSeq == 0) {
        m_firstSeq = chunks.constFirst().seq;
        m_firstType = chunks.constFirst().type;
    }
    QTextCursor cursor(m_text->document());
    cursor.beginEditBlock();
    cursor.movePosition(QTextCursor::End);
    insertChunks(cursor, chunks, true);
    cursor.endEditBlock();
    if (follow) {
        trimTop();
        bar->setValue(bar->maximum());
    }
}

void OutputView::prependChunks(const QList<OutputChunk> &input)
{
    QList<OutputChunk> chunks;
    for (const OutputChunk &chunk : input) {
        if (chunk.seq < m_firstSeq)
            chunks.append(chunk);
    }
    if (chunks.isEmpty())
        return;
    QScrollBar *bar = m_text->verticalScrollBar();
    const int blocksBefore = m_text->document()->blockCount();
    const int oldFirstSeq = m_text->document()->firstBlock().userState();
    QTextCursor cursor(m_text->document());
    cursor.beginEditBlock();
    cursor.movePosition(QTextCursor::Start);
    insertChunks(cursor, chunks, false);
    // An LLM's text goes on in the same line across the page boundary.
    const bool joined = m_inlineMessages && chunks.constLast().type == u"message"_s && m_firstType == u"message"_s;
    if (!joined) {
        cursor.insertBlock();
        cursor.block().setUserState(oldFirstSeq);
    }
    cursor.endEditBlock();
    m_firstSeq = chunks.constFirst().seq;
    m_firstType = chunks.constFirst().type;
    // The lines that were on screen stay on screen.
    bar->setValue(bar->value() + m_text->document()->blockCount() - blocksBefore);
}

void OutputView::trimTop()
{
    QTextDocument *doc = m_text->document();
    const int excess = doc->blockCount() - maxBlocks;
    if (excess <= 0)
        return;
    // Whole chunks go: a chunk of several lines starts with the only block
    // that carries its sequence number (the others have userState -1). An
    // LLM's text joined into lines may have no chunk start for a long way:
    // then nothing goes this time.
    QTextBlock first = doc->findBlockByNumber(excess);
    for (int step = 0; step < maxBlocks / 4 && first.isValid() && first.userState() < 0; ++step)
        first = first.next();
    if (!first.isValid() || first.userState() < 0 || first == doc->firstBlock())
        return;
    QTextCursor cursor(doc);
    cursor.movePosition(QTextCursor::Start);
    cursor.setPosition(first.position(), QTextCursor::KeepAnchor);
    cursor.removeSelectedText();
    m_firstSeq = doc->firstBlock().userState();
    const QString text = doc->firstBlock().text();
    m_firstType = text.startsWith(toolPrefix) ? u"tool_use"_s : text.startsWith(resultPrefix) ? u"tool_result"_s : u"message"_s;
}

} // namespace mc

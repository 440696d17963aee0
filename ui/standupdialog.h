#pragma once

#include <QDialog>

class QTextBrowser;

namespace mc {

class Store;

// The standup report (GET /standup, the same builder) rendered, with
// "Copy as Markdown" putting its Markdown text on the clipboard.
class StandupDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit StandupDialog(Store &store, QWidget *parent = nullptr);
    QString markdown() const { return m_markdown; }
    void copyMarkdown();
    void reload();

private:
    Store &m_store;
    QString m_markdown;
    QTextBrowser *m_view;
};

} // namespace mc

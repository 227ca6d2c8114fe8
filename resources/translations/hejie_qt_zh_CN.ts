<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- What Qt's own qtbase_zh_CN.qm (shipped with PySide6) lacks or says oddly (体积 for a file's size): texts whose source changed in
     Qt 6 (accelerators added) and so show in English in the file and print dialogs Qt draws itself
     when the platform has no native one. desktop/ui/app.py loads the compiled .qm after Qt's; rebuild it
     with `pyside6-lrelease hejie_qt_zh_CN.ts` (tests/gui/test_qt_chinese.py checks it is current). -->
<TS version="2.1" language="zh_CN">
<context>
    <name>QFileDialog</name>
    <message><source>&amp;Look in:</source><translation>查找范围(&amp;L)：</translation></message>
    <message><source>Files of &amp;type:</source><translation>文件类型(&amp;T)：</translation></message>
    <message><source>&amp;File name:</source><translation>文件名(&amp;N)：</translation></message>
    <message><source>&amp;Directory:</source><translation>文件夹(&amp;D)：</translation></message>
</context>
<context>
    <name>QFileSystemModel</name>
    <message><source>Size</source><translation>大小</translation></message>
</context>
<context>
    <name>QPrintSettingsOutput</name>
    <message><source>Page &amp;Set:</source><translation>打印页面(&amp;S)：</translation></message>
</context>
<context>
    <name>QPageSetupWidget</name>
    <message><source>Page &amp;order:</source><translation>页面顺序(&amp;O)：</translation></message>
    <message><source>Pages &amp;per sheet:</source><translation>每张页数(&amp;P)：</translation></message>
    <message><source>Paper &amp;source:</source><translation>纸张来源(&amp;S)：</translation></message>
    <message><source>Page &amp;size:</source><translation>纸张大小(&amp;S)：</translation></message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message><source>Drive</source><translation>驱动器</translation></message>
    <message><source>File Folder</source><comment>Match Windows Explorer</comment><translation>文件夹</translation></message>
    <message><source>Folder</source><comment>All other platforms</comment><translation>文件夹</translation></message>
    <message><source>Alias</source><comment>macOS Finder</comment><translation>替身</translation></message>
    <message><source>Shortcut</source><comment>All other platforms</comment><translation>快捷方式</translation></message>
    <message><source>Unknown</source><translation>未知</translation></message>
    <message><source>%1 File</source><translation>%1 文件</translation></message>
    <message><source>File</source><translation>文件</translation></message>
</context>
</TS>

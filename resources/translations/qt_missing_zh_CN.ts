<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Qt's own strings that Qt's qtbase_zh_CN.qm leaves in English (its file dialog's "Look in:" and
     "Files of type:" among them); loaded after qtbase_zh_CN, so these win and nothing else changes. -->
<TS version="2.1" language="zh_CN">
<context>
    <name>QFileDialog</name>
    <message><source>&amp;Look in:</source><translation>查找范围(&amp;L)：</translation></message>
    <message><source>Files of &amp;type:</source><translation>文件类型(&amp;T)：</translation></message>
    <message><source>Look in</source><translation>查找范围</translation></message>
    <message><source>Computer</source><translation>计算机</translation></message>
    <message><source>Cancel</source><translation>取消</translation></message>
</context>
<context>
    <name>QFileSystemModel</name>
    <message><source>Folder</source><translation>文件夹</translation></message>
    <message><source>Drive</source><translation>驱动器</translation></message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message><source>Don&apos;t Save</source><translation>不保存</translation></message>
    <message><source>Close without Saving</source><translation>关闭且不保存</translation></message>
</context>
</TS>

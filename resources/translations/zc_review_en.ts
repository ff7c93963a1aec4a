<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AnchorScale</name>
    <message>
        <location filename="../../zc_review/gui/scoring_form.py" line="+332"/>
        <source>{0} 分</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AutoSaver</name>
    <message>
        <location filename="../../zc_review/gui/autosave.py" line="+99"/>
        <source>保存失败：{0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChecksView</name>
    <message>
        <location filename="../../zc_review/gui/checks_view.py" line="+48"/>
        <source>指标</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>结果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>数值</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>政策要求</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>政策依据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+33"/>
        <source>（参考）</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <location filename="../../zc_review/gui/dialogs.py" line="+224"/>
        <source>申请回避</source>
        <translation>Declare conflict and recuse</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>确认无利益冲突</source>
        <translation>Confirm no conflict</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>确认声明</source>
        <translation>Confirm declaration</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/conflict_dialog.ui" line="+20"/>
        <source>回避声明</source>
        <translation>Conflict of Interest Declaration</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>众创社区：</source>
        <translation>Community:</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>评审本申报前，请如实声明您与该申报单位是否存在利益冲突。</source>
        <translation>Before reviewing this application, truthfully declare whether you have a conflict of interest with the applicant.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>声明</source>
        <translation>Declaration</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>本人与该申报单位无利益冲突(&amp;N)</source>
        <translation>I have &amp;no conflict of interest with this applicant</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>本人存在利益冲突，申请回避(&amp;C)</source>
        <translation>I have a &amp;conflict of interest and recuse myself</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>冲突类型(&amp;T)：</source>
        <translation>Conflict &amp;type:</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>亲属关系</source>
        <translation>Family relationship</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>同一单位或曾在其任职</source>
        <translation>Same employer, now or in the past</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>合作关系</source>
        <translation>Business or research partnership</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>经济利益</source>
        <translation>Financial interest</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>具体说明(&amp;R)：</source>
        <translation>&amp;Reason:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>请说明利益冲突的具体情况（申请回避时必填）</source>
        <translation>Describe the conflict of interest (required when recusing)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>注意：申请回避后，本申报将对您锁定：您不能再评分或提交评审意见，声明提交后不能撤销。</source>
        <translation>Note: once you recuse yourself, this application is locked for you: you can no longer score it or submit an opinion, and the declaration cannot be withdrawn.</translation>
    </message>
</context>
<context>
    <name>ImageViewer</name>
    <message>
        <location filename="../../zc_review/gui/image_viewer.py" line="+70"/>
        <source>缩小</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>放大</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>适合窗口</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>实际大小</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>缩放比例</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>图片尺寸</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+38"/>
        <source>本机数据目录中找不到这个文件。请重新导入该申报包。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>图片已损坏或格式不受支持，无法显示。请与省联席会议办公室核对原始申报材料。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{0} × {1} 像素</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportFlow</name>
    <message>
        <location filename="../../zc_review/gui/import_flow.py" line="+50"/>
        <source>可导入的文件 (*.zcb *.zip)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>评审封装包 (*.zcb)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>县级申报压缩包 (*.zip)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>选择要导入的文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+47"/>
        <source>（无）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>（文件不存在）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>清除列表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>正在导入 {index}/{count}：{name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <source>导入申报</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>已导入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>新版本</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>无变化</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>失败</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已取消</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>原因不明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>导入已取消，此文件未导入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>作为第 {n} 版导入，旧版本保留</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>此前已导入（第 {n} 版），未作改动</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>形式审查缺少：{m}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>导入 {ok} 个，失败 {failed} 个</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>，无变化 {n} 个</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>，已取消 {n} 个</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportReportDialog</name>
    <message>
        <location line="+16"/>
        <source>导入报告</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>结果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>众创社区</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>复制到剪贴板(&amp;C)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>关闭</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+50"/>
        <source>已复制</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ItemCard</name>
    <message>
        <location filename="../../zc_review/gui/scoring_form.py" line="+48"/>
        <source>勾选即加 {0} 分；空格键切换。Alt+↓ 下一项，Alt+↑ 上一项。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>依据：{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>+{0} 分</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>满分 {0} 分</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+30"/>
        <source>输入得分（0–{0} 分，步长 {1}），↑/↓ 按步长调整；清空即为未评分。
Enter 到下一项，Tab 到评分说明；Alt+↓ 下一项，Alt+↑ 上一项。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>清除得分（改为未评分）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>得分</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+26"/>
        <source>评分说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Tab 到下一项；Alt+↓ 下一项，Alt+↑ 上一项。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>加分须写明依据（材料名称、页码或事实）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>评分理由、存在的问题和修改建议</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+30"/>
        <source>{0}档</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>✘ 硬指标不达标：{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>选填</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>必填：{0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MaterialInfoPanel</name>
    <message>
        <location filename="../../zc_review/gui/material_info_panel.py" line="+142"/>
        <source>原文件名：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>材料类别：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>文件类型：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>大小：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SHA-256：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>此类文件不在工作站内预览，也不会调用外部程序打开。如需查看，请另存副本。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>另存副本…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>把这份材料原样复制到您选择的位置（校验 SHA-256）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+26"/>
        <source>未知</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0}（{1} 字节）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+23"/>
        <source>所有文件 (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} 文件 (*{1});;所有文件 (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>另存副本</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>另存副本失败</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MaterialsView</name>
    <message>
        <location filename="../../zc_review/gui/materials_view.py" line="+120"/>
        <source>类别</source>
        <extracomment>Emitted with the selected MaterialEntry, or None when nothing is selected.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>大小</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>申报材料列表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+70"/>
        <source>这个申报没有附带材料。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>请选择一个申报，再在左侧选择要查看的材料。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+29"/>
        <source>请在左侧选择要查看的材料。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OverviewTab</name>
    <message>
        <location filename="../../zc_review/gui/overview.py" line="+113"/>
        <source>确认已知悉(&amp;K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+26"/>
        <source>形式审查未通过：缺少 %1。您已确认知悉。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>形式审查未通过：缺少 %1。请确认知悉后再评分，并在意见中说明。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PdfViewer</name>
    <message>
        <location filename="../../zc_review/gui/pdf_viewer.py" line="+100"/>
        <source>上一页</source>
        <extracomment>Emitted when a search has looked at every page, with the number of hits. Emitted with the 0-based page shown (the page at the upper part of the viewport).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>下一页</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>第一页</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>最后一页</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>缩小</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>放大</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>适合整页</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>实际大小</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>适合宽度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>查找</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>下一处</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>上一处</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>页码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>输入页码后按回车跳转</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>缩放比例</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>在文档中查找（Ctrl+F）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>查找文字</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>查找结果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+114"/>
        <source>本机数据目录中找不到这个文件。请重新导入该申报包。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>这个 PDF 设有打开密码，工作站无法显示。请申报单位提供未加密的文件。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>这个 PDF 使用了不支持的加密方式，工作站无法显示。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>文件已损坏或不是有效的 PDF，无法显示。请与省联席会议办公室核对原始申报材料。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+150"/>
        <location line="+65"/>
        <source>正在查找…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>未找到“{0}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>第 {0}/{1}{2} 处</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PledgeDialog</name>
    <message>
        <location filename="../../zc_review/gui/dialogs.py" line="-59"/>
        <source>承诺版本：{version}</source>
        <translation>Pledge version: {version}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已阅读至末尾，请勾选下方承诺。</source>
        <translation>You have read to the end; tick the pledge below.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>接受</source>
        <translation>Accept</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>不接受</source>
        <translation>Decline</translation>
    </message>
    <message>
        <location filename="../../ui/pledge_dialog.ui" line="+20"/>
        <source>评审承诺</source>
        <translation>Reviewer&apos;s Pledge</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>开始评审前，请完整阅读以下评审纪律，并作出承诺。</source>
        <translation>Before you start reviewing, read the following review rules in full and give your pledge.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>请将承诺全文阅读至末尾（可按 Page Down 或 End 键），然后勾选下方承诺。</source>
        <translation>Read the pledge to its end (Page Down or End), then tick the pledge below.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>我已阅读并承诺遵守上述评审纪律(&amp;A)</source>
        <translation>I have read the review rules above and pledge to &amp;abide by them</translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <location filename="../../zc_review/gui/dialogs.py" line="-67"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/profile_dialog.ui" line="+20"/>
        <source>专家信息</source>
        <translation>Expert Profile</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>请填写您的专家信息。这些信息将写入评审意见表，并记入审计日志。</source>
        <translation>Enter your details as an expert. They appear on your review opinions and are recorded in the audit log.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>姓名(&amp;N)：</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>必填</source>
        <translation>Required</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>职称(&amp;T)：</source>
        <translation>&amp;Title:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>如：正高级工程师、教授、研究员</source>
        <translation>e.g. Senior Engineer, Professor, Research Fellow</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>工作单位(&amp;O)：</source>
        <translation>&amp;Organisation:</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>专业领域(&amp;F)：</source>
        <translation>&amp;Field:</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>姓名为必填项；专业领域可从列表中选择，也可直接输入。</source>
        <translation>The name is required; choose a field from the list or type your own.</translation>
    </message>
</context>
<context>
    <name>ScoreCommands</name>
    <message>
        <location filename="../../zc_review/gui/score_commands.py" line="+136"/>
        <source>{0} 得分</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{0} 评分说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“{0}”评价意见</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>总体评审意见</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>评审建议</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScoreSpinBox</name>
    <message>
        <location filename="../../zc_review/gui/scoring_form.py" line="-346"/>
        <source>未评分</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScoringForm</name>
    <message>
        <location line="+521"/>
        <source>撤销</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>重做</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+39"/>
        <source>每项 {0} 分，合计最多加 {1} 分；加分须写明依据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>总体评审意见与建议</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>总体评审意见</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>对申报方案的总体评价、主要优点、存在的问题和修改建议</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+39"/>
        <source>依据：{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>对“{0}”的评价意见</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>概括本目标的主要优点和不足</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+41"/>
        <source>评审建议</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>必选</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>↑/↓ 或 ←/→ 在选项间切换</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+99"/>
        <source>本评审为只读，不能修改。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+155"/>
        <source>{0} / {1} 分</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+14"/>
        <source>已评 {0}/{1} 项</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-10"/>
        <source>+{0} / {1} 分</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已选 {0} 分，按上限计</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>含加分 {0} 分（最多加 {1} 分）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>✘ {0} 项硬指标不达标</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>按细则：总分 {0} 分，但有硬指标不达标，{1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>按细则：总分 {0} 分，{1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>尚有 {0} 项未评分，总分还会变化。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>总分 {0} 分。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>（有硬指标不达标，不可选）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>（细则建议）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>有硬指标不达标，不能选择“{0}”，请改选其他建议。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>相关硬指标不达标</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>本项须说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>加分须说明依据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>得分低于 {0} 分</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>须说明</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../zc_review/gui/dialogs.py" line="+170"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="+20"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>界面语言(&amp;L)：</source>
        <translation>&amp;Language:</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>数据目录(&amp;D)：</source>
        <translation>&amp;Data folder:</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>界面语言选择后立即生效；点击“取消”恢复原来的语言。数据目录可在启动时用 --data-dir 或环境变量 ZC_REVIEW_HOME 指定。</source>
        <translation>The language takes effect as soon as you choose it; Cancel restores the previous one. The data folder can be set at start-up with --data-dir or the ZC_REVIEW_HOME environment variable.</translation>
    </message>
</context>
<context>
    <name>SummaryPanel</name>
    <message>
        <location filename="../../zc_review/gui/scoring_form.py" line="-557"/>
        <source>总分</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>按细则建议</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>快捷键
Enter / Alt+↓  下一项
Alt+↑  上一项
Alt+PgDn / PgUp  下一/上一目标
Ctrl+Z 撤销 · Ctrl+Y 重做</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tasks</name>
    <message>
        <location filename="../../zc_review/gui/tasks.py" line="+89"/>
        <source>取消</source>
        <translation type="unfinished">Cancel</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>正在取消…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+246"/>
        <source>发生了意外错误，操作未能完成。已保存的数据不受影响。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>如问题反复出现，请将详细信息发给技术支持。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>_CommentBlock</name>
    <message>
        <location filename="../../zc_review/gui/scoring_form.py" line="-127"/>
        <source>必填，不少于 {0} 字</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>已写 {0} 字</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>

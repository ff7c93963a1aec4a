<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AnchorScale</name>
    <message>
        <location filename="../../zc_review/gui/scoring_form.py" line="+384"/>
        <source>{0} 分</source>
        <translation>{0} pts</translation>
    </message>
</context>
<context>
    <name>ApplicationList</name>
    <message>
        <location filename="../../zc_review/gui/app_list.py" line="+140"/>
        <source>批次</source>
        <extracomment>The rows shown changed (filter, search, new data): for the status bar&apos;s count.</extracomment>
        <translation>Batch</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>搜索社区、城市、产业…（Ctrl+L）</source>
        <translation>Search community, city, industry… (Ctrl+L)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>评审状态</source>
        <translation>Review status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+9"/>
        <source>设区市</source>
        <translation>City</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>全部城市</source>
        <translation>All cities</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>众创社区</source>
        <translation>Community</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>主导产业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>阶段</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>进度</source>
        <translation>Progress</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>总分</source>
        <translation>Total</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>硬指标</source>
        <translation>Hard indicators</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>形式审查</source>
        <translation>Formal check</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>清除筛选(&amp;C)</source>
        <translation>&amp;Clear filters</translation>
    </message>
    <message numerus="yes">
        <location line="+113"/>
        <source>%n 项不达标</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
    <message>
        <location line="+0"/>
        <source>达标</source>
        <translation>Met</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>缺 %1 项</source>
        <translation>%1 missing</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>缺：</source>
        <translation>Missing: </translation>
    </message>
    <message>
        <location line="+119"/>
        <source>显示 %1 个，共 %2 个申报，已提交 %3 个</source>
        <translation>Showing %1 of %2 applications, %3 submitted</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>共 %1 个申报，已提交 %2 个</source>
        <translation>%1 applications, %2 submitted</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>没有符合“%1”的申报。</source>
        <translation>No application matches “%1”.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>没有符合筛选条件的申报。</source>
        <translation>No application matches the filters.</translation>
    </message>
    <message>
        <location line="-152"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+2"/>
        <source>齐全</source>
        <translation>Complete</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>全部批次（%1 个）</source>
        <translation>All batches (%1)</translation>
    </message>
</context>
<context>
    <name>AutoSaver</name>
    <message>
        <location filename="../../zc_review/gui/autosave.py" line="+197"/>
        <source>保存失败：{0}</source>
        <translation>Save failed: {0}</translation>
    </message>
</context>
<context>
    <name>Backup</name>
    <message>
        <location filename="../../zc_review/gui/backup_flow.py" line="+38"/>
        <source>选择备份保存的文件夹（如 U 盘）</source>
        <translation>Choose the folder for the backup (e.g. a USB stick)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>备份完成</source>
        <translation>Backup Complete</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>备份文件可以复制到其他电脑；用“zc-review restore 备份文件”恢复（恢复前会先完整校验，原有数据另行保留）。</source>
        <translation>The backup file can be copied to another computer; restore it with “zc-review restore BACKUP-FILE” (it is checked completely first, and the present data is kept aside).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>正在备份…</source>
        <translation>Backing up…</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>今天的数据库自动备份（%1）没有做成：</source>
        <translation>Today’s automatic copy of the database (%1) could not be made:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>自动备份未完成</source>
        <translation>Automatic Backup Not Made</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>评审可以照常进行，数据没有受影响。请用“文件 ▸ 备份…”另做一份备份。</source>
        <translation>You can go on reviewing; no data is affected. Make a backup with File ▸ Back Up….</translation>
    </message>
</context>
<context>
    <name>CalibrationDialog</name>
    <message>
        <location filename="../../zc_review/gui/main_window.py" line="+117"/>
        <source>提交前校准提示</source>
        <translation>Calibration Check Before Submitting</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>总分 %1 分。请对照各目标的评分标准和您在本批次其他评审中的打分，确认评分尺度一致后再提交。</source>
        <translation>Total: %1 points. Compare with each goal&apos;s rubric and with your scores in the other reviews of this batch, and make sure you have applied the same scale before you submit.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>目标</source>
        <translation>Goal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本次得分</source>
        <translation>This review</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>各项所处档次</source>
        <translation>Item bands</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>您在本批其他评审中的平均分</source>
        <translation>Your average in other reviews of this batch</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>暂无可比评审</source>
        <translation>No comparable reviews yet</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&#x3000;⚠ 与您的一贯尺度差异较大</source>
        <translation>  ⚠ Differs markedly from your usual scale</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>确认提交(&amp;S)</source>
        <translation>&amp;Submit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>返回修改(&amp;B)</source>
        <translation>&amp;Back to editing</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>提交后评审结果不可再修改。</source>
        <translation>Once submitted, the review can no longer be changed.</translation>
    </message>
</context>
<context>
    <name>ChartCanvas</name>
    <message>
        <location filename="../../zc_review/gui/chart_canvas.py" line="+44"/>
        <source>导出 PNG 图片（300 dpi）…</source>
        <translation>Export PNG image (300 dpi)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PNG 图片 (*.png)</source>
        <translation>PNG image (*.png)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>导出 SVG 矢量图…</source>
        <translation>Export SVG vector image…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SVG 矢量图 (*.svg)</source>
        <translation>SVG vector image (*.svg)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>导出 PDF…</source>
        <translation>Export PDF…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF file (*.pdf)</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>把该图表导出为 PNG、SVG 或 PDF 文件</source>
        <translation>Export this chart as a PNG, SVG or PDF file</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>正在绘制…</source>
        <translation>Drawing…</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>导出图表</source>
        <translation>Export chart</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>无法写入文件“%1”：%2。请换一个文件夹再试。</source>
        <translation>Cannot write the file “%1”: %2. Try another folder.</translation>
    </message>
</context>
<context>
    <name>ChartsTab</name>
    <message>
        <location filename="../../zc_review/gui/charts_tab.py" line="+155"/>
        <source>本申报</source>
        <translation>This application</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本批次</source>
        <translation>This batch</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>请先在左侧选择一个申报。</source>
        <translation>Select an application on the left first.</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>正在绘制…</source>
        <translation>Drawing…</translation>
    </message>
</context>
<context>
    <name>CheckStatus</name>
    <message>
        <location filename="../../zc_review/gui/checks_view.py" line="+29"/>
        <source>达标</source>
        <translation>Pass</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>不达标</source>
        <translation>Fail</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>提示</source>
        <translation>Warning</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>缺数据</source>
        <translation>Missing data</translation>
    </message>
</context>
<context>
    <name>ChecksView</name>
    <message>
        <location line="+34"/>
        <source>指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>数值</source>
        <translation>Value</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+92"/>
        <source>政策要求</source>
        <translation>Policy requirement</translation>
    </message>
    <message>
        <location line="-92"/>
        <source>政策依据</source>
        <translation>Policy basis</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>（参考）</source>
        <translation> (for reference)</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>软性指标，仅作提示</source>
        <translation>Soft indicator, for information only</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>所用数值</source>
        <translation>Values used</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>数据来源</source>
        <translation>Where the values were entered</translation>
    </message>
</context>
<context>
    <name>CollationRulesDialog</name>
    <message>
        <location filename="../../zc_review/gui/collation_rules_dialog.py" line="+75"/>
        <source>汇总规则</source>
        <translation>Collation Rules</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>过半数</source>
        <translation>More than half</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>三分之二以上</source>
        <translation>At least two thirds</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>计入的评审意见少于此数的申报为“评审不足”：不拟定结论、不排名（不是“不建议”）。</source>
        <translation>An application with fewer counted reviews has too few reviews: no proposed conclusion and no rank (not “not recommended”).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>有效评审数达到(&amp;N)：</source>
        <translation>When valid reviews reach (&amp;N):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>时，去掉最高和最低各(&amp;K)：</source>
        <translation>drop this many highest and lowest (&amp;K):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>专家总分偏离中位数超过(&amp;D)（分）：</source>
        <translation>Flag totals further from the median than (&amp;D) (points):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>建议与硬指标的多数(&amp;M)：</source>
        <translation>&amp;Majority for recommendations and hard indicators:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>最少评审数(&amp;R)（少于此数不拟定结论、不排名）：</source>
        <translation>Minimum &amp;reviews (fewer: no conclusion, no rank):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>批次：%1</source>
        <translation>Batch: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>（尚未汇总）</source>
        <translation>(not collated yet)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>规则按批次保存在本机的评审数据中（命令行汇总同样使用），更改记入审计日志；更改后立即重新汇总，并写入汇总表的“说明”页。</source>
        <translation>The rules are stored per batch with this machine&apos;s review data (command-line collation uses them too) and every change is in the audit log; the batch is collated again at once, and the rules are printed on the workbook&apos;s Notes sheet.</translation>
    </message>
</context>
<context>
    <name>ConflictChoiceDialog</name>
    <message>
        <location filename="../../zc_review/gui/conflict_choice_dialog.py" line="+60"/>
        <location line="+134"/>
        <location line="+13"/>
        <source>选定计入的意见表</source>
        <translation>Choose the Opinion That Counts</translation>
    </message>
    <message>
        <location line="-143"/>
        <source>“%1”：%2。无法确定以哪一份为准：在经办人选定之前，这些意见表均不计入，该申报为“冲突”，不拟定结论、不排名。请向专家核实后，选定计入的一份并填写理由（记入审计日志）。</source>
        <translation>“%1”: %2. Which one the expert meant cannot be told: until a clerk chooses, none of these opinions counts and the application is in conflict, with no proposed conclusion and no rank. Check with the expert, then choose the one that counts and give the reason (kept in the audit log).</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>版次</source>
        <translation>Revision</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>签署时间</source>
        <translation>Signed at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>声明取代</source>
        <translation>Supersedes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>第 %1 版（%2…）</source>
        <translation>revision %1 (%2…)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>选定计入</source>
        <translation>counts (chosen)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>不计入</source>
        <translation>not counted</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>必须填写理由，例如：经电话向专家核实，以此份为准。</source>
        <translation>A reason is required, e.g. confirmed with the expert by phone that this one counts.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>选定和撤销都记入审计日志</source>
        <translation>Choosing and undoing are both kept in the audit log</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>理由(&amp;R)：</source>
        <translation>&amp;Reason:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>经办人(&amp;B)：</source>
        <translation>Done &amp;by:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>以所选文件为准(&amp;O)</source>
        <translation>C&amp;ount the Selected File</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>撤销选定(&amp;U)</source>
        <translation>&amp;Undo the Choice</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <location filename="../../zc_review/gui/dialogs.py" line="+231"/>
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
    <name>FirstStart</name>
    <message>
        <location filename="../../zc_review/gui/app.py" line="+112"/>
        <source>欢迎使用众创社区评审工作站：请填写专家信息</source>
        <translation>Welcome to ZC Review: please enter your expert profile</translation>
    </message>
</context>
<context>
    <name>ImageViewer</name>
    <message>
        <location filename="../../zc_review/gui/image_viewer.py" line="+71"/>
        <source>缩小</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>放大</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>适合窗口</source>
        <translation>Fit to window</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>实际大小</source>
        <translation>Actual size</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>缩放比例</source>
        <translation>Zoom level</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>图片尺寸</source>
        <translation>Image size</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>本机数据目录中找不到这个文件。请重新导入该申报包。</source>
        <translation>This file is missing from the local data folder. Please import the application bundle again.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>图片已损坏或格式不受支持，无法显示。请与省联席会议办公室核对原始申报材料。</source>
        <translation>The image is damaged or in an unsupported format and cannot be shown. Please check the original application materials with the Provincial Joint Conference Office.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{0} × {1} 像素</source>
        <translation>{0} × {1} pixels</translation>
    </message>
</context>
<context>
    <name>ImportFlow</name>
    <message>
        <location filename="../../zc_review/gui/import_flow.py" line="+56"/>
        <source>可导入的文件 (*.zcb *.zip)</source>
        <translation>Importable files (*.zcb *.zip)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>评审封装包 (*.zcb)</source>
        <translation>Sealed review bundles (*.zcb)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>县级申报压缩包 (*.zip)</source>
        <translation>County application zips (*.zip)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>选择要导入的文件</source>
        <translation>Choose Files to Import</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>（文件不存在）</source>
        <translation> (file not found)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>清除列表</source>
        <translation>Clear list</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>正在导入 {index}/{count}：{name}</source>
        <translation>Importing {index}/{count}: {name}</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>导入申报</source>
        <translation>Import Applications</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>已导入</source>
        <translation>Imported</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>新版本</source>
        <translation>New version</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>无变化</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已修复</source>
        <translation>Repaired</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>失败</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>原因不明</source>
        <translation>Unknown reason</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>导入已取消，此文件未导入</source>
        <translation>Import cancelled; this file was not imported</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>作为第 {n} 版导入，旧版本保留</source>
        <translation>Imported as version {n}; the earlier version is kept</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>已由另一导入完成（同时进行的另一次导入），未作改动</source>
        <translation>Already imported by another import at the same time; nothing changed</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>此前已导入（第 {n} 版），未作改动</source>
        <translation>Already imported (version {n}); nothing changed</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>已修复 {n} 个材料文件（本机副本缺失或损坏，已从封装包恢复）</source>
        <translation>Repaired {n} material file(s) (the local copy was missing or damaged and was restored from the bundle)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>形式审查缺少：{m}</source>
        <translation>Formal check, missing: {m}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>导入 {ok} 个，失败 {failed} 个</source>
        <translation>{ok} imported, {failed} failed</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>，无变化 {n} 个</source>
        <translation>, {n} unchanged</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>，已修复 {n} 个</source>
        <translation>, {n} repaired</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>，已取消 {n} 个</source>
        <translation>, {n} cancelled</translation>
    </message>
</context>
<context>
    <name>ImportReportDialog</name>
    <message>
        <location line="+16"/>
        <source>导入报告</source>
        <translation>Import Report</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>众创社区</source>
        <translation>Community</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>说明</source>
        <translation>Details</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>复制到剪贴板(&amp;C)</source>
        <translation>&amp;Copy to clipboard</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>已复制</source>
        <translation>Copied</translation>
    </message>
</context>
<context>
    <name>ItemCard</name>
    <message>
        <location filename="../../zc_review/gui/scoring_form.py" line="+90"/>
        <source>勾选即加 {0} 分；空格键切换。Alt+↓ 下一项，Alt+↑ 上一项。</source>
        <translation>Tick to add {0} to the total; Space toggles. Alt+↓ next item, Alt+↑ previous item.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>依据：{0}</source>
        <translation>Basis: {0}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>+{0} 分</source>
        <translation>+{0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>满分 {0} 分</source>
        <translation>Max. {0}</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>输入得分（0–{0} 分，步长 {1}），↑/↓ 按步长调整；清空或 Ctrl+Delete 即为未评分。
Enter 到下一项，Tab 到评分说明；Alt+↓ 下一项，Alt+↑ 上一项。</source>
        <translation>Type the score (0–{0} points, step {1}); ↑/↓ change it by one step; empty it or press Ctrl+Delete for not scored.
Enter goes to the next item, Tab to the justification; Alt+↓ next item, Alt+↑ previous item.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>清除得分，改为未评分（Ctrl+Delete）</source>
        <translation>Clear the score, back to not scored (Ctrl+Delete)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>得分</source>
        <translation>Score</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>评分说明</source>
        <translation>Justification</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Tab 到下一项；Alt+↓ 下一项，Alt+↑ 上一项。</source>
        <translation>Tab goes to the next item; Alt+↓ next item, Alt+↑ previous item.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>加分须写明依据（材料名称、页码或事实）</source>
        <translation>State the grounds for the bonus (document name, page or fact)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>评分理由、存在的问题和修改建议</source>
        <translation>Reasons for the score, problems found and suggested improvements</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>{0}档</source>
        <translation>Band: {0}</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>✘ 硬指标不达标：{0}</source>
        <translation>✘ Hard indicator not met: {0}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>选填</source>
        <translation>Optional</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>必填：{0} ✓</source>
        <translation>Required: {0} ✓</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>必填：{0}</source>
        <translation>Required: {0}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../zc_review/gui/main_window.py" line="+95"/>
        <source>改为评审最新版本</source>
        <translation>Switch to the latest version</translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+182"/>
        <source>概况</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location line="-181"/>
        <location line="+181"/>
        <source>申报材料</source>
        <translation>Materials</translation>
    </message>
    <message>
        <location line="-180"/>
        <location line="+180"/>
        <source>指标核查</source>
        <translation>Indicator checks</translation>
    </message>
    <message>
        <location line="-179"/>
        <location line="+179"/>
        <source>评分</source>
        <translation>Scoring</translation>
    </message>
    <message>
        <location line="-151"/>
        <location line="+680"/>
        <source>待完善事项</source>
        <translation>To Do</translation>
    </message>
    <message>
        <location line="-581"/>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>导入封装包…(&amp;I)</source>
        <translation>&amp;Import Bundles…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>最近导入(&amp;R)</source>
        <translation>&amp;Recent Imports</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>退出(&amp;X)</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>编辑(&amp;E)</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>评审(&amp;R)</source>
        <translation>&amp;Review</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回避声明…(&amp;D)</source>
        <translation>Conflict of Interest &amp;Declaration…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>提交评审(&amp;S)</source>
        <translation>&amp;Submit Review</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>下一个申报(&amp;N)</source>
        <translation>&amp;Next Application</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>上一个申报(&amp;P)</source>
        <translation>&amp;Previous Application</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>视图(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>搜索申报列表(&amp;L)</source>
        <translation>Search Application &amp;List</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>设置(&amp;S)</source>
        <translation>&amp;Settings</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>专家信息…(&amp;P)</source>
        <translation>Expert &amp;Profile…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>首选项…(&amp;O)</source>
        <translation>Pre&amp;ferences…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>快捷键(&amp;K)</source>
        <translation>&amp;Keyboard Shortcuts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关于(&amp;A)</source>
        <translation>&amp;About ZC Review</translation>
    </message>
    <message>
        <location line="+104"/>
        <source>无法打开该申报：</source>
        <translation>Cannot open this application: </translation>
    </message>
    <message>
        <location line="+74"/>
        <source>您已于 %1 声明回避本申报（%2），不参与评分。</source>
        <translation>You recused yourself from this application on %1 (%2) and do not score it.</translation>
    </message>
    <message>
        <location line="+329"/>
        <source>待完善事项（%1）</source>
        <translation>To do (%1)</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>评审已提交。按 Ctrl+PgDown 打开下一个申报。</source>
        <translation>Review submitted. Press Ctrl+PgDown for the next application.</translation>
    </message>
    <message>
        <location line="-397"/>
        <source>还没有申报：请用“文件 ▸ 导入封装包”（Ctrl+O）导入，或把 .zcb 文件拖到窗口中。</source>
        <translation>No applications yet: use File ▸ Import Bundles… (Ctrl+O), or drag .zcb files onto the window.</translation>
    </message>
    <message>
        <location line="-273"/>
        <location line="+175"/>
        <source>图表</source>
        <translation>Charts</translation>
    </message>
    <message>
        <location line="-74"/>
        <source>无法打开本地数据库</source>
        <translation>Cannot open the local database</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>验证意见表…(&amp;V)</source>
        <translation>&amp;Verify opinions…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>办公室汇总…(&amp;C)</source>
        <translation>Office &amp;collation…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>备份…(&amp;B)</source>
        <translation>&amp;Back Up…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>查找(&amp;F)</source>
        <translation>&amp;Find</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>签署并导出意见表…(&amp;E)</source>
        <translation>Sign and &amp;export opinion…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>查看已签署的意见表(&amp;O)</source>
        <translation>View signed &amp;opinion</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>意见表签署历史…(&amp;H)</source>
        <translation>Signing &amp;history…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>修订评审…(&amp;M)</source>
        <translation>Revise review (&amp;modify)…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>批次图表(&amp;B)</source>
        <translation>&amp;Batch charts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>演示模式(&amp;M)</source>
        <translation>&amp;Meeting mode</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>手写签名…(&amp;W)</source>
        <translation>Handwritten &amp;signature…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导入签名证书…(&amp;C)</source>
        <translation>Import signing &amp;credential…</translation>
    </message>
    <message>
        <location line="+97"/>
        <source>正在打开…</source>
        <translation>Opening…</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>该申报已导入第 %1 版，您正在评审第 %2 版。</source>
        <translation>Version %1 of this application has been imported; you are reviewing version %2.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>申报书</source>
        <translation>Application form</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>您已声明回避，本申报已锁定。</source>
        <translation>You have recused yourself; this application is locked.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>评审已于 %1 提交，只读。</source>
        <translation>Review submitted on %1; read-only.</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>您已声明回避（%1：%2），不参与本申报的评审。</source>
        <translation>You have recused yourself (%1: %2) and take no part in reviewing this application.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>评分前请先声明与该申报单位是否存在利益冲突（回避声明）。声明无利益冲突后方可评分。</source>
        <translation>Before scoring, declare whether you have a conflict of interest with this applicant (conflict-of-interest declaration). You can score once you have declared no conflict.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>已评 %1/%2 项 · 当前总分 %3</source>
        <translation>%1/%2 items scored · total so far %3</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>已保存 %1</source>
        <translation>Saved %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>⚠ 保存失败</source>
        <translation>⚠ Save failed</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>请先作回避声明</source>
        <translation>Declare conflicts of interest first</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>评分前须先声明与该申报单位是否存在利益冲突（回避声明），刚才输入的内容没有记录。现在声明吗？</source>
        <translation>Before scoring, declare whether you have a conflict of interest with this applicant. What you just typed was not recorded. Declare now?</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>回避声明…</source>
        <translation>Conflict declaration…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>本评审为只读，不能修改。</source>
        <translation>This review is read-only and cannot be changed.</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+310"/>
        <source>回避声明</source>
        <translation>Conflict of Interest Declaration</translation>
    </message>
    <message>
        <location line="-297"/>
        <source>形式审查</source>
        <translation>Formal Check</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+10"/>
        <source>评审最新版本</source>
        <translation>Review the Latest Version</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>改为评审第 %1 版？当前版本的评分会保留在历史中，新版本需要重新声明并评分。</source>
        <translation>Switch to reviewing version %1? Your scores for the current version stay in the history; the new version needs a new declaration and new scores.</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>还有 %1 处需要完善，点击“待完善事项”中的条目可跳转。</source>
        <translation>Still to complete: %1. Click an entry under “To Do” to go to it.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>评审已提交</source>
        <translation>Review submitted</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>评审已提交。下一步：签署并导出专家评审意见表（PDF），交评审办公室汇总。

现在签署吗？也可以稍后按 Ctrl+E 或点击“签署并导出意见表”。</source>
        <translation>Review submitted. Next: sign and export the expert review opinion (PDF) for the review office to collate.

Sign it now? You can also do it later with Ctrl+E or “Sign and export the opinion”.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>签署并导出意见表…(&amp;S)</source>
        <translation>&amp;Sign and export the opinion…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>稍后(&amp;L)</source>
        <translation>&amp;Later</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>评审已进入修订：修改后请重新提交并签署意见表。</source>
        <translation>The review is being revised: after your changes, submit it and sign the opinion again.</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>专家：%1</source>
        <translation>Expert: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>众创社区评审工作站</source>
        <translation>ZC Review</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>专家信息</source>
        <translation>Expert Profile</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>手写签名</source>
        <translation>Handwritten Signature</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>签名已保存，将印在您的评审意见表上。</source>
        <translation>Signature saved; it will be printed on your review opinions.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>导入封装包</source>
        <translation>Import bundles</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>下一个 / 上一个申报</source>
        <translation>Next / previous application</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>评分表中的下一项 / 上一项</source>
        <translation>Next / previous item on the score sheet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>切换到概况、申报材料、指标核查、评分、图表</source>
        <translation>Switch to Overview, Materials, Indicator checks, Scoring, Charts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>演示模式（全屏演示图表）</source>
        <translation>Meeting mode (charts full screen)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>提交评审</source>
        <translation>Submit review</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>签署并导出意见表</source>
        <translation>Sign and export the opinion</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>撤销</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>重做</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>清除评分表中当前项的得分（改为未评分）</source>
        <translation>Clear the score of the current item in the form (back to not scored)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>搜索申报列表</source>
        <translation>Search the application list</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>查找：在申报材料的 PDF 中查找，其他页面筛选申报列表</source>
        <translation>Find: search the PDF in Materials; elsewhere, filter the application list</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF 中的下一处 / 上一处</source>
        <translation>Next / previous match in the PDF</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>快捷键</source>
        <translation>Keyboard Shortcuts</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>关于</source>
        <translation>About ZC Review</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>众创社区评审工作站 ZC Review %1&lt;br&gt;离线评审江苏省众创社区申报。数据目录：%2</source>
        <translation>ZC Review %1 — Crowd-Innovation Community Review Workstation&lt;br&gt;Offline review of Jiangsu crowd-innovation community applications. Data folder: %2</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>保存失败</source>
        <translation>Save Failed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>最近的修改未能保存。仍要退出吗？</source>
        <translation>Your latest changes could not be saved. Exit anyway?</translation>
    </message>
</context>
<context>
    <name>Material</name>
    <message>
        <location filename="../../zc_review/gui/labels.py" line="+23"/>
        <source>申报书</source>
        <translation>Application workbook</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>创建方案</source>
        <translation>Development plan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>四至范围</source>
        <translation>Boundaries</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>产业定位</source>
        <translation>Industry positioning</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>投资规模</source>
        <translation>Investment scale</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>建设计划</source>
        <translation>Construction schedule</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>概念性规划</source>
        <translation>Conceptual plan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>其他附件</source>
        <translation>Other attachment</translation>
    </message>
</context>
<context>
    <name>MaterialInfoPanel</name>
    <message>
        <location filename="../../zc_review/gui/material_info_panel.py" line="+143"/>
        <source>原文件名：</source>
        <translation>Original file name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>材料类别：</source>
        <translation>Category:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>文件类型：</source>
        <translation>File type:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>大小：</source>
        <translation>Size:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SHA-256：</source>
        <translation>SHA-256:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>此类文件不在工作站内预览，也不会调用外部程序打开。如需查看，请另存副本。</source>
        <translation>Files of this kind are not previewed in the workstation, nor opened with another program. To view it, save a copy.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>另存副本…</source>
        <translation>Save a copy…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>把这份材料原样复制到您选择的位置（校验 SHA-256）</source>
        <translation>Copy this material unchanged to a place you choose (SHA-256 verified)</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>未知</source>
        <translation>Unknown</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0}（{1} 字节）</source>
        <translation>{0} ({1} bytes)</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>所有文件 (*)</source>
        <translation>All files (*)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} 文件 (*{1});;所有文件 (*)</source>
        <translation>{0} files (*{1});;All files (*)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>另存副本</source>
        <translation>Save a Copy</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>另存副本失败</source>
        <translation>Could Not Save a Copy</translation>
    </message>
</context>
<context>
    <name>MaterialsView</name>
    <message>
        <location filename="../../zc_review/gui/materials_view.py" line="+138"/>
        <source>类别</source>
        <extracomment>Emitted with the selected MaterialEntry, or None when nothing is selected.</extracomment>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>大小</source>
        <translation>Size</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>申报材料列表</source>
        <translation>Application materials</translation>
    </message>
    <message>
        <location line="+92"/>
        <source>这个申报没有附带材料。</source>
        <translation>This application has no attached materials.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>请选择一个申报，再在左侧选择要查看的材料。</source>
        <translation>Select an application, then choose a material on the left.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>请在左侧选择要查看的材料。</source>
        <translation>Choose a material on the left to view it.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>缺失：本机数据目录中找不到这个材料文件。请重新导入该申报包，导入时会恢复缺失的材料文件。</source>
        <translation>Missing: this material file is not in the local data folder. Import the application bundle again; the import restores missing material files.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>已损坏：这个材料文件与申报包封装时记录的 SHA-256 不一致（本机副本已被改动或损坏），不予显示。请重新导入该申报包，导入时会修复损坏的材料文件。</source>
        <translation>Damaged: this material file does not match the SHA-256 recorded when the bundle was sealed (the local copy was altered or damaged), so it is not shown. Import the application bundle again; the import repairs damaged material files.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>（缺失）</source>
        <translation> (missing)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>（已损坏）</source>
        <translation> (damaged)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>（正在校验）</source>
        <translation> (checking)</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>正在校验材料文件</source>
        <translation>Checking material files</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>正在校验材料文件的 SHA-256，请稍候…</source>
        <translation>Checking the material file&apos;s SHA-256, please wait…</translation>
    </message>
</context>
<context>
    <name>MeetingStartDialog</name>
    <message>
        <location filename="../../zc_review/gui/meeting_mode.py" line="+237"/>
        <source>演示模式</source>
        <translation>Meeting mode</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>屏幕 %1</source>
        <translation>Screen %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>显示专家姓名(&amp;N)</source>
        <translation>Show expert &amp;names</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>→ / PgDn / 空格：下一页&#x3000;← / PgUp：上一页
↓ / N：下一个申报&#x3000;↑ / P：上一个申报
Home / End：第一页 / 最后一页&#x3000;E：显示或隐藏专家姓名&#x3000;Esc：退出演示</source>
        <translation>→ / PgDn / Space: next slide   ← / PgUp: previous slide
↓ / N: next application   ↑ / P: previous application
Home / End: first / last slide   E: show or hide expert names   Esc: leave</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>演示屏幕(&amp;S)：</source>
        <translation>&amp;Screen:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>开始演示</source>
        <translation>Start</translation>
    </message>
</context>
<context>
    <name>MeetingWindow</name>
    <message>
        <location line="+38"/>
        <source>演示模式</source>
        <translation>Meeting mode</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>← → 翻页 · ↑ ↓ 切换申报 · E 专家姓名 · Esc 退出</source>
        <translation>← → slides · ↑ ↓ applications · E expert names · Esc leave</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>本批次还没有申报，无图表可演示。</source>
        <translation>This batch has no applications yet: there are no charts to show.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&#x3000;· 显示专家姓名</source>
        <translation> · expert names shown</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>正在绘制…</source>
        <translation>Drawing…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>无法绘制该图表：%1</source>
        <translation>Cannot draw this chart: %1</translation>
    </message>
</context>
<context>
    <name>OfficeWindow</name>
    <message>
        <location filename="../../zc_review/gui/office_mode.py" line="+270"/>
        <location line="+496"/>
        <source>办公室汇总</source>
        <translation>Office collation</translation>
    </message>
    <message>
        <location line="-489"/>
        <source>可将意见表 PDF、文件夹或压缩包拖放到此窗口</source>
        <translation>You can drop opinion PDFs, folders or zips on this window</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>添加文件(&amp;A)…</source>
        <translation>&amp;Add files…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>添加文件夹(&amp;D)…</source>
        <translation>Add fol&amp;der…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>移除所选</source>
        <translation>Remove selected</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>信任办公室证书(&amp;T)…</source>
        <translation>&amp;Trust office certificate…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+182"/>
        <source>开始汇总(&amp;G)</source>
        <translation>&amp;Go: collate</translation>
    </message>
    <message>
        <location line="-169"/>
        <source>待汇总的意见表（PDF、文件夹或压缩包）：</source>
        <translation>Opinions to collate (PDFs, folders or zips):</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+39"/>
        <source>排名</source>
        <translation>Rank</translation>
    </message>
    <message>
        <location line="-38"/>
        <location line="+39"/>
        <location line="+12"/>
        <location line="+7"/>
        <source>众创社区</source>
        <translation>Community</translation>
    </message>
    <message>
        <location line="-57"/>
        <source>有效评审数</source>
        <translation>Valid reviews</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>平均分</source>
        <translation>Mean</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>中位数</source>
        <translation>Median</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>去极值平均分</source>
        <translation>Trimmed mean</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>标准差</source>
        <translation>Std. dev.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>硬指标不达标</source>
        <translation>Hard indicators failed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>建议分布</source>
        <translation>Recommendations</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>拟定结论</source>
        <translation>Proposed conclusion</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>最终结论</source>
        <translation>Final conclusion</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>选定计入的意见表(&amp;K)…</source>
        <translation>Choose the Opinion That Counts (&amp;K)…</translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+10"/>
        <location line="+7"/>
        <source>专家</source>
        <translation>Expert</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>总分</source>
        <translation>Total</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>与中位数之差</source>
        <translation>Difference from median</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>偏差较大</source>
        <translation>Outlier</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>申报编号</source>
        <translation>Application key</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+114"/>
        <source>汇总</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location line="-113"/>
        <location line="+114"/>
        <source>专家明细</source>
        <translation>Experts</translation>
    </message>
    <message>
        <location line="-113"/>
        <location line="+114"/>
        <source>排除与重复</source>
        <translation>Excluded and duplicates</translation>
    </message>
    <message>
        <location line="-113"/>
        <location line="+114"/>
        <source>名单</source>
        <translation>Roster</translation>
    </message>
    <message>
        <location line="-46"/>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>添加意见表…(&amp;A)</source>
        <translation>&amp;Add opinions…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>添加文件夹…(&amp;D)</source>
        <translation>Add fol&amp;der…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>信任办公室证书…(&amp;T)</source>
        <translation>&amp;Trust office certificate…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>汇总规则…(&amp;R)</source>
        <translation>Collation &amp;rules…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回避登记…(&amp;H)</source>
        <translation>Rec&amp;usals…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>选定计入的意见表…(&amp;K)</source>
        <translation>Choose the Opinion That Counts… (&amp;K)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>导出汇总表…(&amp;X)</source>
        <translation>E&amp;xport workbook…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>导出汇总报告…(&amp;P)</source>
        <translation>Export summary re&amp;port…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>导出并签章汇总报告…(&amp;S)</source>
        <translation>Export and &amp;sign summary report…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>签章用的证书机构文件夹…(&amp;O)</source>
        <translation>&amp;Office CA folder for signing…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>关闭(&amp;C)</source>
        <translation>&amp;Close</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>视图(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>选择签署的意见表</source>
        <translation>Choose signed opinions</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>意见表或压缩包 (*.pdf *.zip)</source>
        <translation>Opinions or zips (*.pdf *.zip)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>选择意见表所在的文件夹</source>
        <translation>Choose the folder of opinions</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>选择办公室证书</source>
        <translation>Choose the office certificate</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>证书 (*.pem *.crt *.cer *.der);;所有文件 (*)</source>
        <translation>Certificates (*.pem *.crt *.cer *.der);;All files (*)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>信任办公室证书</source>
        <translation>Trust office certificate</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>已信任 %1 个办公室证书。</source>
        <translation>%1 office certificate(s) trusted.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>尚未信任任何办公室证书：所有意见表都将无法通过验证。</source>
        <translation>No office certificate is trusted yet: no opinion can pass verification.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>正在验证并汇总意见表</source>
        <translation>Verifying and collating opinions</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+11"/>
        <source>汇总规则</source>
        <translation>Collation Rules</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>回避登记</source>
        <translation>Recusals</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>尚不知道是哪个批次：请先汇总该批次的意见表，或导入该批次的封装包。</source>
        <translation>No batch is known yet: collate the batch&apos;s opinions first, or import its sealed bundles.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>哪个批次：</source>
        <translation>Which batch:</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>回避登记已更改，已重新汇总。</source>
        <translation>Recusals changed; collated again.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>没有一份意见表可以计入汇总，原因见“排除与重复”。请检查是否已信任办公室证书，以及所选文件是否属于同一批次。</source>
        <translation>No opinion can be counted; see “Excluded and duplicates” for the reasons. Check that the office certificate is trusted and that the files belong to one batch.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>调整结论</source>
        <translation>Override conclusion</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>已调整“%1”的结论。</source>
        <translation>The conclusion of “%1” was overridden.</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>（已调整）</source>
        <translation> (overridden)</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>无效（未计入）</source>
        <translation>Invalid (not counted)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>重复</source>
        <translation>Duplicate</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>与 %1 相同，只计一次</source>
        <translation>Same as %1; counted once</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>被替代的修订</source>
        <translation>Superseded revision</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>第 %1 版已被第 %2 版（%3）替代</source>
        <translation>Revision %1 superseded by revision %2 (%3)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>意见冲突（待选定）</source>
        <translation>Conflict (to choose)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>意见冲突（选定计入）</source>
        <translation>Conflict (chosen, counts)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>意见冲突（未计入）</source>
        <translation>Conflict (not counted)</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>批次 %1：%2 个申报，计入 %3 份意见表，无效 %4 份，重复 %5 份，被替代 %6 份，尚未提交 %7 份</source>
        <translation>Batch %1: %2 applications, %3 opinions counted, %4 invalid, %5 duplicates, %6 superseded, %7 not yet submitted</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>；收件登记 %1 条（%2 条待签章）</source>
        <translation>; %1 receipts (%2 not yet sealed)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>，意见冲突 %1 处待选定</source>
        <translation>, %1 conflicts to resolve</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>排除与重复 (%1)</source>
        <translation>Excluded and duplicates (%1)</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>“%1”为冲突：%2的多份意见表不是一条修订链，待选定计入的一份，之前不拟定结论、不排名。</source>
        <translation>“%1” is in conflict: the opinions of %2 are not one revision chain. Until the one that counts is chosen there is no proposed conclusion and no rank.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>“%1”的意见冲突已由经办人选定计入的意见表。</source>
        <translation>The conflict of “%1” is resolved: a clerk chose the opinion that counts.</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>选定计入的意见表</source>
        <translation>Choose the Opinion That Counts</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>哪位专家的意见表：</source>
        <translation>Whose opinions:</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>意见冲突的选定已更改，已重新汇总。</source>
        <translation>The choice of a conflict changed; collated again.</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>导出汇总表</source>
        <translation>Export collated workbook</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>正在导出汇总表</source>
        <translation>Exporting the collated workbook</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>导出汇总报告</source>
        <translation>Export summary report</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+47"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF file (*.pdf)</translation>
    </message>
    <message>
        <location line="-37"/>
        <source>已导出（未签章）：%1</source>
        <translation>Exported (not signed): %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>正在导出汇总报告</source>
        <translation>Exporting the summary report</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>导出并签章汇总报告</source>
        <translation>Export and sign summary report</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>为汇总报告签章：请输入办公室证书机构“%1”的密码。
证书机构文件夹：%2</source>
        <translation>To sign the summary report, enter the password of the office CA “%1”.
CA folder: %2</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>办公室汇总窗口（签章导出）</source>
        <translation>office window (signed export)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>已导出并由“%1”签章：%2</source>
        <translation>Exported and signed by “%1”: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>正在导出并签章汇总报告</source>
        <translation>Exporting and signing the summary report</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>选择办公室证书机构所在的文件夹（含 office-ca.key.pem）</source>
        <translation>Choose the office CA&apos;s folder (with office-ca.key.pem)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>签章用的证书机构文件夹</source>
        <translation>Office CA folder for signing</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>此文件夹中没有办公室证书机构（%1 和 %2）。</source>
        <translation>This folder holds no office CA (%1 and %2).</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>已导出：%1</source>
        <translation>Exported: %1</translation>
    </message>
</context>
<context>
    <name>OpinionFlow</name>
    <message>
        <location filename="../../zc_review/gui/opinion_flow.py" line="+73"/>
        <source>含有电子签名</source>
        <translation>Has a digital signature</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>签名后内容未被改动</source>
        <translation>Unchanged since signing</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>签名覆盖整个文件</source>
        <translation>Signature covers the whole file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>签署人证书由评审办公室签发</source>
        <translation>Signer&apos;s certificate issued by the office</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>签署时与验证时证书均有效，且未吊销</source>
        <translation>Certificate valid at signing and at verification, not revoked</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>内嵌评审数据符合格式</source>
        <translation>Embedded review data well-formed</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>众创社区</source>
        <translation>Community</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{name}-专家评审意见表-第{n}版.pdf</source>
        <translation>{name}-expert-review-opinion-rev{n}.pdf</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>密码(&amp;P)：</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+179"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location line="-176"/>
        <location line="+226"/>
        <location line="+366"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="-561"/>
        <source>（第 %1 次）</source>
        <translation> (attempt %1)</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>持有人</source>
        <translation>Holder</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+171"/>
        <source>职称</source>
        <translation>Title</translation>
    </message>
    <message>
        <location line="-170"/>
        <location line="+171"/>
        <source>工作单位</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <location line="-170"/>
        <source>签发机构</source>
        <translation>Issuer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>有效期</source>
        <translation>Valid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 至 %2</source>
        <translation>%1 to %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>序列号</source>
        <translation>Serial number</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SHA-256 指纹</source>
        <translation>SHA-256 fingerprint</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>选择签名证书</source>
        <translation>Choose the signing credential</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>个人证书 (*.p12 *.pfx);;所有文件 (*)</source>
        <translation>Personal credentials (*.p12 *.pfx);;All files (*)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>导入签名证书</source>
        <translation>Import signing credential</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>请输入证书文件“%1”的密码（办公室发放证书时告知）。密码不会被保存。</source>
        <translation>Enter the password of the credential file “%1” (the office gave it to you with the credential). The password is not stored.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>签名证书已导入，今后签署评审意见表时将使用它。</source>
        <translation>The signing credential was imported; your review opinions will be signed with it.</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+106"/>
        <location line="+19"/>
        <location line="+22"/>
        <location line="+105"/>
        <source>签署意见表</source>
        <translation>Sign the opinion</translation>
    </message>
    <message>
        <location line="-251"/>
        <source>本机尚未导入有效的签名证书（.p12）。现在导入吗？</source>
        <translation>No valid signing credential (.p12) is imported on this computer. Import one now?</translation>
    </message>
    <message>
        <location line="+45"/>
        <location line="+18"/>
        <source>手写签名</source>
        <translation>Handwritten signature</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>您还没有留存手写签名。现在签名吗？签名会印在意见表的签名栏中；也可以不加手写签名，仅用电子签名签署。</source>
        <translation>You have no handwritten signature yet. Sign now? It is printed in the opinion&apos;s signature block; you can also sign with the digital signature only.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>现在签名…</source>
        <translation>Sign now…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>不加手写签名，继续</source>
        <translation>Continue without a handwritten signature</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>（未填写）</source>
        <translation>(not filled in)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>专家信息（印在意见表上）</source>
        <translation>Profile (printed on the opinion)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>签名证书</source>
        <translation>Signing certificate</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>签名证书上的信息与本机的专家信息不一致，办公室核对时会看到这一差异：</source>
        <translation>The signing certificate does not match this workstation&apos;s expert profile; the office will see the difference when it checks the opinion:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>按证书更新专家信息并签署(&amp;U)</source>
        <translation>&amp;Update the profile from the certificate and sign</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保持专家信息，继续签署(&amp;K)</source>
        <translation>&amp;Keep the profile and sign</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>请输入签名证书（%1）的密码以签署本评审意见表。签署后评审结果不可更改，如需修改须另行修订并重新签署。</source>
        <translation>Enter the password of the signing credential (%1) to sign this review opinion. Once signed, the review cannot be changed; a change needs a revision that is signed again.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>正在生成并签署意见表…</source>
        <translation>Building and signing the opinion…</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+16"/>
        <source>保存签署的意见表</source>
        <translation>Save the signed opinion</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>无法写入文件“%1”：%2。请换一个文件夹再试。</source>
        <translation>Cannot write the file “%1”: %2. Try another folder.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>评审意见表（第 %1 版）已签署。</source>
        <translation>The review opinion (revision %1) is signed.</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+332"/>
        <source>已保存到：
%1</source>
        <translation>Saved to:
%1</translation>
    </message>
    <message>
        <location line="-330"/>
        <source>未另存副本；签署的意见表已保存在本机，可在“意见表签署历史”中随时查看或另存。</source>
        <translation>No copy was saved; the signed opinion is kept on this computer, and you can view or save it any time from “Signing history”.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>SHA-256：%1</source>
        <translation>SHA-256: %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>查看意见表(&amp;V)</source>
        <translation>&amp;View opinion</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+33"/>
        <location line="+202"/>
        <location line="+170"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="-349"/>
        <location line="+34"/>
        <source>查看已签署的意见表</source>
        <translation>View signed opinion</translation>
    </message>
    <message>
        <location line="-30"/>
        <source>已签署的意见表 — 第 %1 版</source>
        <translation>Signed opinion — revision %1</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>本评审还没有签署的意见表。提交评审后可签署并导出。</source>
        <translation>This review has no signed opinion yet. Submit the review, then sign and export it.</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+72"/>
        <source>修订评审</source>
        <translation>Revise review</translation>
    </message>
    <message>
        <location line="-70"/>
        <source>修订后评分表重新可编辑，须重新提交并重新签署意见表（第 %1 版）；此前签署的版本留在签署历史中，不会删除或改动。</source>
        <translation>A revision makes the score sheet editable again; it must be submitted and the opinion signed again (revision %1). The versions signed before stay in the signing history, neither deleted nor changed.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>修订原因(&amp;R)（必填）：</source>
        <translation>&amp;Reason for the revision (required):</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>例如：经办公室通知，补充材料后需调整“产业特色鲜明”的评分。</source>
        <translation>E.g.: the office sent supplementary materials; the score for “Distinctive industry” needs adjusting.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>开始修订(&amp;S)</source>
        <translation>&amp;Start revision</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>请至少写 %1 个字说明修订原因。</source>
        <translation>Write at least %1 characters to explain the revision.</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>意见表签署历史 — %1</source>
        <translation>Signing history — %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>版本</source>
        <translation>Revision</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+154"/>
        <source>签署时间</source>
        <translation>Signed at</translation>
    </message>
    <message>
        <location line="-153"/>
        <location line="+152"/>
        <source>签署人</source>
        <translation>Signer</translation>
    </message>
    <message>
        <location line="-151"/>
        <source>修订原因</source>
        <translation>Reason for revision</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>查看(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>另存为…(&amp;A)</source>
        <translation>Save &amp;as…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>修订…(&amp;R)</source>
        <translation>&amp;Revise…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>重新打开评分表进行修改；修改后须重新提交并签署</source>
        <translation>Reopen the score sheet for changes; afterwards submit and sign again</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>首次签署</source>
        <translation>First signature</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>第 %1 版</source>
        <translation>Revision %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>共 %1 个签署版本；最新的第 %2 版为有效版本，较早的版本仅作留存。</source>
        <translation>%1 signed revisions; the newest, revision %2, is the valid one; earlier ones are kept for the record.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>本评审还没有签署的意见表。</source>
        <translation>This review has no signed opinion yet.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>另存为</source>
        <translation>Save as</translation>
    </message>
    <message>
        <location line="+40"/>
        <location line="+140"/>
        <source>验证意见表</source>
        <translation>Verify opinions</translation>
    </message>
    <message>
        <location line="-136"/>
        <source>共验证 %1 个文件：%2 个有效，%3 个无效。</source>
        <translation>%1 files verified: %2 valid, %3 invalid.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>未通过的检查</source>
        <translation>Failed checks</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>✓ 有效</source>
        <translation>✓ Valid</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>✗ 无效</source>
        <translation>✗ Invalid</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>各项检查(&amp;C)：</source>
        <translation>&amp;Checks:</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>选择要验证的意见表</source>
        <translation>Choose the opinions to verify</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PDF 文件 (*.pdf);;所有文件 (*)</source>
        <translation>PDF files (*.pdf);;All files (*)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>正在验证 {index}/{count}：{name}</source>
        <translation>Verifying {index}/{count}: {name}</translation>
    </message>
</context>
<context>
    <name>OverridePanel</name>
    <message>
        <location filename="../../zc_review/gui/office_mode.py" line="-1081"/>
        <source>调整结论</source>
        <translation>Override conclusion</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+48"/>
        <source>请在上表中选择一个申报。</source>
        <translation>Select an application in the table above.</translation>
    </message>
    <message>
        <location line="-43"/>
        <source>必须填写调整理由，例如专家组会议讨论的结论。</source>
        <translation>A reason is required, e.g. the panel meeting&apos;s decision.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>请填写经办人姓名</source>
        <translation>Enter the name of the clerk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>确认调整(&amp;O)</source>
        <translation>&amp;Override</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>恢复拟定结论</source>
        <translation>Restore proposed conclusion</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>申报：</source>
        <translation>Application:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>拟定结论：</source>
        <translation>Proposed:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>最终结论(&amp;C)：</source>
        <translation>Final &amp;conclusion:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>调整理由(&amp;R)：</source>
        <translation>&amp;Reason:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>经办人(&amp;B)：</source>
        <translation>Done &amp;by:</translation>
    </message>
</context>
<context>
    <name>Overview</name>
    <message>
        <location filename="../../zc_review/gui/overview.py" line="+33"/>
        <source>未填</source>
        <translation>not given</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>四至范围</source>
        <translation>Boundaries</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>产业定位</source>
        <translation>Industry positioning</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>投资规模与年度指标</source>
        <translation>Investment and yearly indicators</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>建设计划</source>
        <translation>Construction schedule</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>申报材料（形式审查）</source>
        <translation>Application materials (formal check)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>设区市 / 县（市、区）</source>
        <translation>City / county</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>申报单位</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>联系人</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>主导产业</source>
        <translation>Leading industry</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>规划面积</source>
        <translation>Planned area</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> 平方公里</source>
        <translation> km²</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>创新创业服务载体建筑面积</source>
        <translation>Floor area of innovation service carriers</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> 平方米</source>
        <translation> m²</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>众创空间 / 创业苗圃 / 孵化器 / 加速器</source>
        <translation>Makerspaces / nurseries / incubators / accelerators</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>管理和运营机构</source>
        <translation>Management and operating body</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>第 %1 版</source>
        <translation>version %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>东至</source>
        <translation>East</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>南至</source>
        <translation>South</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>西至</source>
        <translation>West</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>北至</source>
        <translation>North</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>建设项目总投资&lt;br&gt;（万元）</source>
        <translation>Total project investment&lt;br&gt;(10k CNY)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>其中特色战略新兴产业&lt;br&gt;（万元）</source>
        <translation>of which strategic emerging industry&lt;br&gt;(10k CNY)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>产业总产值&lt;br&gt;（万元）</source>
        <translation>Total output&lt;br&gt;(10k CNY)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>其中高新技术产业&lt;br&gt;（万元）</source>
        <translation>of which high-tech&lt;br&gt;(10k CNY)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>新登记初创企业&lt;br&gt;（家）</source>
        <translation>New startups&lt;br&gt;(count)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>吸纳从业人员&lt;br&gt;（人）</source>
        <translation>Jobs created&lt;br&gt;(people)</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>阶段</source>
        <translation>Period</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>建设内容</source>
        <translation>Work</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>投资（万元）</source>
        <translation>Investment (10k CNY)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>材料</source>
        <translation>Material</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>文件</source>
        <translation>Files</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>已提交</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>缺少</source>
        <translation>Missing</translation>
    </message>
</context>
<context>
    <name>OverviewTab</name>
    <message>
        <location line="+37"/>
        <source>确认已知悉(&amp;K)</source>
        <translation>&amp;Acknowledge</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>形式审查未通过：缺少 %1。您已确认知悉。</source>
        <translation>Formal check failed: %1 missing. You have acknowledged this.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>形式审查未通过：缺少 %1。请确认知悉后再评分，并在意见中说明。</source>
        <translation>Formal check failed: %1 missing. Acknowledge this before scoring, and address it in your opinion.</translation>
    </message>
</context>
<context>
    <name>PdfViewer</name>
    <message>
        <location filename="../../zc_review/gui/pdf_viewer.py" line="+115"/>
        <source>上一页</source>
        <extracomment>Emitted when a search has looked at every page, with the number of hits. Emitted with the 0-based page shown (the page at the upper part of the viewport).</extracomment>
        <translation>Previous page</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>下一页</source>
        <translation>Next page</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>第一页</source>
        <translation>First page</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>最后一页</source>
        <translation>Last page</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>缩小</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>放大</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>适合整页</source>
        <translation>Fit page</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>实际大小</source>
        <translation>Actual size</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>适合宽度</source>
        <translation>Fit width</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>查找</source>
        <translation>Find</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>下一处</source>
        <translation>Find next</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>上一处</source>
        <translation>Find previous</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>页码</source>
        <translation>Page number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>输入页码后按回车跳转</source>
        <translation>Type a page number and press Enter to go to it</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>缩放比例</source>
        <translation>Zoom level</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>在文档中查找（Ctrl+F）</source>
        <translation>Find in document (Ctrl+F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>查找文字</source>
        <translation>Search text</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>查找结果</source>
        <translation>Search results</translation>
    </message>
    <message>
        <location line="+114"/>
        <source>本机数据目录中找不到这个文件。请重新导入该申报包。</source>
        <translation>This file is missing from the local data folder. Please import the application bundle again.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>这个 PDF 设有打开密码，工作站无法显示。请申报单位提供未加密的文件。</source>
        <translation>This PDF is password-protected and cannot be shown. Ask the applicant for an unencrypted file.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>这个 PDF 使用了不支持的加密方式，工作站无法显示。</source>
        <translation>This PDF uses an unsupported encryption method and cannot be shown.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>文件已损坏或不是有效的 PDF，无法显示。请与省联席会议办公室核对原始申报材料。</source>
        <translation>The file is damaged or not a valid PDF and cannot be shown. Please check the original application materials with the Provincial Joint Conference Office.</translation>
    </message>
    <message>
        <location line="+159"/>
        <location line="+65"/>
        <source>正在查找…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>未找到“{0}”</source>
        <translation>“{0}” not found</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>第 {0}/{1}{2} 处</source>
        <translation>Match {0}/{1}{2}</translation>
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
    <name>RecusalDialog</name>
    <message>
        <location filename="../../zc_review/gui/recusal_dialog.py" line="+66"/>
        <location line="+147"/>
        <location line="+8"/>
        <source>回避登记</source>
        <translation>Recusals</translation>
    </message>
    <message>
        <location line="-151"/>
        <source>批次 %1。专家以书面或电话方式告知回避的，在此登记：其对该申报的意见表不计入汇总，名单中显示为“已回避”。</source>
        <translation>Batch %1. When an expert tells the office (on paper or by phone) that they recuse from an application, record it here: their opinion on it does not count, and the roster shows them as recused.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>众创社区</source>
        <translation>Community</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>专家</source>
        <translation>Expert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>经办人</source>
        <translation>Recorded by</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>登记时间</source>
        <translation>Recorded at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回避理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>本批次尚未登记回避。</source>
        <translation>No recusal is recorded for this batch.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>删除所选登记(&amp;R)</source>
        <translation>&amp;Remove selected</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>专家姓名</source>
        <translation>Expert&apos;s name</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>可不填，例如：与申报单位存在任职关系</source>
        <translation>Optional, e.g. holds a post at the applicant</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>登记和删除都记入审计日志</source>
        <translation>Kept in the audit log for every change</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>登记回避(&amp;S)</source>
        <translation>Record recu&amp;sal</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>申报(&amp;A)：</source>
        <translation>&amp;Application:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>专家(&amp;E)：</source>
        <translation>&amp;Expert:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回避理由(&amp;N)：</source>
        <translation>Reaso&amp;n:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>新增回避登记</source>
        <translation>Record a recusal</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>经办人(&amp;B)：</source>
        <translation>Done &amp;by:</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>专家“%1”不在本批次的专家名单中，请从列表中选择。</source>
        <translation>Expert “%1” is not on this batch&apos;s roster; choose a name from the list.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>删除回避登记</source>
        <translation>Remove Recusal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>删除专家“%1”对“%2”的回避登记？其意见表将重新计入汇总。</source>
        <translation>Remove the recusal of expert “%1” from “%2”? Their opinion on it counts again.</translation>
    </message>
</context>
<context>
    <name>ReviewStatus</name>
    <message>
        <location filename="../../zc_review/gui/app_list.py" line="-263"/>
        <source>未开始</source>
        <translation>Not started</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>评审中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已提交</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已回避</source>
        <translation>Recused</translation>
    </message>
</context>
<context>
    <name>ScoreCommands</name>
    <message>
        <location filename="../../zc_review/gui/score_commands.py" line="+136"/>
        <source>{0} 得分</source>
        <translation>score of {0}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{0} 评分说明</source>
        <translation>justification of {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“{0}”评价意见</source>
        <translation>opinion on “{0}”</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>总体评审意见</source>
        <translation>overall opinion</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>评审建议</source>
        <translation>recommendation</translation>
    </message>
</context>
<context>
    <name>ScoreSpinBox</name>
    <message>
        <location filename="../../zc_review/gui/scoring_form.py" line="-454"/>
        <source>未评分</source>
        <translation>Unscored</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>本项满分 {0} 分，不能输入 {1}</source>
        <translation>This item is worth at most {0} points; {1} cannot be entered</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>本项步长 {0} 分</source>
        <translation>This item is scored in steps of {0} points</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>本项步长 {0} 分：{1} 已改为 {2}</source>
        <translation>This item is scored in steps of {0} points: {1} was changed to {2}</translation>
    </message>
</context>
<context>
    <name>ScoringForm</name>
    <message>
        <location line="+590"/>
        <source>撤销</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>重做</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>评分细则 {0} 第 {1} 版 · 满分 {2} 分，加分最多 {3} 分</source>
        <translation>Rubric {0}, version {1} · max. {2} points, bonus up to {3}</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>每项 {0} 分，合计最多加 {1} 分；加分须写明依据</source>
        <translation>Worth {0} each, at most {1} in total; state the grounds for each bonus</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>总体评审意见与建议</source>
        <translation>Overall opinion and recommendation</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>总体评审意见</source>
        <translation>Overall opinion</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>对申报方案的总体评价、主要优点、存在的问题和修改建议</source>
        <translation>Overall assessment of the proposal: main strengths, problems found and suggested improvements</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>依据：{0}</source>
        <translation>Basis: {0}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>对“{0}”的评价意见</source>
        <translation>Opinion on “{0}”</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>概括本目标的主要优点和不足</source>
        <translation>Summarise the main strengths and weaknesses under this goal</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>评审建议</source>
        <translation>Recommendation</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>必选</source>
        <translation>Required</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>↑/↓ 或 ←/→ 在选项间切换</source>
        <translation>↑/↓ or ←/→ move between the options</translation>
    </message>
    <message>
        <location line="+92"/>
        <source>本评审为只读，不能修改。</source>
        <translation>This review is read-only and cannot be changed.</translation>
    </message>
    <message>
        <location line="+166"/>
        <source>{0} / {1} 分</source>
        <translation>{0} / {1}</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+14"/>
        <source>已评 {0}/{1} 项</source>
        <translation>{0}/{1} items scored</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>+{0} / {1} 分</source>
        <translation>+{0} / {1}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已选 {0} 分，按上限计</source>
        <translation>{0} selected; capped at the maximum</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>含加分 {0} 分（最多加 {1} 分）</source>
        <translation>incl. bonus {0} (max. {1})</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>✘ {0} 项硬指标不达标</source>
        <translation>✘ Hard indicators not met: {0}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>尚未评分：评分后按细则给出参考建议。</source>
        <translation>Not scored yet: the rubric&apos;s suggestion appears once you score.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>尚未评分。</source>
        <translation>Not scored yet.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>按细则：总分 {0} 分，但有硬指标不达标，{1}</source>
        <translation>Per the rubric: total {0}, but a hard indicator is not met, so: {1}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>按细则：总分 {0} 分，{1}</source>
        <translation>Per the rubric: total {0}, so: {1}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>尚有 {0} 项未评分，总分还会变化。</source>
        <translation>Items still unscored: {0}; the total may still change.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>总分 {0} 分。</source>
        <translation>Total: {0}.</translation>
    </message>
    <message>
        <location line="-12"/>
        <location line="+18"/>
        <source>（有硬指标不达标，不可选）</source>
        <translation> (unavailable: hard indicator failed)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>（细则建议）</source>
        <translation> (suggested by rubric)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>有硬指标不达标，不能选择“{0}”，请改选其他建议。</source>
        <translation>A hard indicator is not met, so “{0}” cannot be chosen; choose another recommendation.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>相关硬指标不达标</source>
        <translation>related hard indicator failed</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>本项须说明</source>
        <translation>always for this item</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>加分须说明依据</source>
        <translation>state the grounds for the bonus</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>得分低于 {0} 分</source>
        <translation>score below {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>须说明</source>
        <translation>needs a justification</translation>
    </message>
</context>
<context>
    <name>ScoringTab</name>
    <message>
        <location filename="../../zc_review/gui/main_window.py" line="-1057"/>
        <source>回避声明…(&amp;D)</source>
        <translation>Conflict of Interest &amp;Declaration…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>请先在左侧选择一个申报。</source>
        <translation>Select an application on the left first.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>提交评审(&amp;S)</source>
        <translation>&amp;Submit review</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>检查完整性并提交（Ctrl+Enter）</source>
        <translation>Check for completeness and submit (Ctrl+Enter)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>签署历史…</source>
        <translation>Signing history…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>签署并导出意见表…</source>
        <translation>Sign and export opinion…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>用您的签名证书签署评审意见表并另存一份（Ctrl+E）</source>
        <translation>Sign the review opinion with your signing credential and save a copy (Ctrl+E)</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../zc_review/gui/dialogs.py" line="+186"/>
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
        <source>字号(&amp;Z)：</source>
        <translation>&amp;Text size:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>整个界面的文字大小，100% 为系统默认</source>
        <translation>The text size of the whole interface; 100% is the system default</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>数据目录(&amp;D)：</source>
        <translation>&amp;Data folder:</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>界面语言和字号选择后立即生效；点击“取消”恢复原来的设置。数据目录可在启动时用 --data-dir 或环境变量 ZC_REVIEW_HOME 指定。</source>
        <translation>The language and the text size take effect as soon as you choose them; Cancel restores the previous settings. The data folder can be set at start-up with --data-dir or the ZC_REVIEW_HOME environment variable.</translation>
    </message>
</context>
<context>
    <name>SignatureDialog</name>
    <message>
        <location filename="../../zc_review/gui/signature_pad.py" line="+158"/>
        <source>手写签名</source>
        <translation>Handwritten Signature</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>请在下方区域用鼠标、手写笔或签名板签名。签名将印在您的评审意见表上。</source>
        <translation>Sign in the area below with the mouse, a pen or a signature pad. The signature is printed on your review opinions.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>清除(&amp;C)</source>
        <translation>&amp;Clear</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>从图片导入…(&amp;I)</source>
        <translation>&amp;Import from image…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>保存签名(&amp;S)</source>
        <translation>&amp;Save signature</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>选择签名图片</source>
        <translation>Choose a Signature Image</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>图片 (*.png *.jpg *.jpeg *.bmp)</source>
        <translation>Images (*.png *.jpg *.jpeg *.bmp)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>手写签名 — 无法读取该图片</source>
        <translation>Handwritten Signature — cannot read that image</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>手写签名 — 请先签名</source>
        <translation>Handwritten Signature — please sign first</translation>
    </message>
</context>
<context>
    <name>Stage</name>
    <message>
        <location filename="../../zc_review/gui/labels.py" line="-17"/>
        <source>申报论证</source>
        <translation>Application review</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>年度考核</source>
        <translation>Annual assessment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>评估验收</source>
        <translation>Final acceptance</translation>
    </message>
</context>
<context>
    <name>StoreCheck</name>
    <message>
        <location filename="../../zc_review/gui/app.py" line="+27"/>
        <source>无法打开本地数据库</source>
        <translation>Cannot open the local database</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>要把它改名为“%1”，保存在原文件夹中（不删除），然后新建一个空的本地数据库吗？选“否”则不打开：您可以先从备份恢复，或自行处理该文件。</source>
        <translation>Rename it to “%1”, kept in the same folder (not deleted), and make a new, empty local database? Choose “No” to not open: you can restore a backup first, or deal with the file yourself.</translation>
    </message>
</context>
<context>
    <name>SummaryPanel</name>
    <message>
        <location filename="../../zc_review/gui/scoring_form.py" line="-615"/>
        <source>总分</source>
        <translation>Total</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>按细则建议</source>
        <translation>Rubric suggests</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>快捷键
Enter / Alt+↓  下一项
Alt+↑  上一项
Alt+PgDn / PgUp  下一/上一目标
Ctrl+Delete  清除本项得分
Ctrl+Z 撤销
Ctrl+Y / Ctrl+Shift+Z 重做</source>
        <translation>Shortcuts
Enter / Alt+↓  next item
Alt+↑  previous item
Alt+PgDn / PgUp  next / previous goal
Ctrl+Delete  clear this score
Ctrl+Z undo
Ctrl+Y / Ctrl+Shift+Z redo</translation>
    </message>
</context>
<context>
    <name>Tasks</name>
    <message>
        <location filename="../../zc_review/gui/tasks.py" line="+91"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <location line="+248"/>
        <source>发生了意外错误，操作未能完成。已保存的数据不受影响。</source>
        <translation>An unexpected error stopped the operation. Data already saved is not affected.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>如问题反复出现，请将详细信息发给技术支持。</source>
        <translation>If this keeps happening, send the details to technical support.</translation>
    </message>
</context>
<context>
    <name>_CommentBlock</name>
    <message>
        <location filename="../../zc_review/gui/scoring_form.py" line="-130"/>
        <source>必填，不少于 {0} 字</source>
        <translation>Required, at least {0} characters</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>已写 {0} 字</source>
        <translation>Characters: {0}</translation>
    </message>
</context>
</TS>

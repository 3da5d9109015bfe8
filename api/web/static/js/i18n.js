// Labels of the page: Chinese first, English on the switch. A view adds its own labels with addLabels().

const LABELS = {
  "app.title": ["安居 · 社区集体经济账本", "Anju · community ledger"],
  "app.brand": ["安居 Anju", "Anju 安居"],
  "app.skip": ["跳到主要内容", "Skip to the main content"],
  "app.lang": ["English", "中文"],
  "app.lang_label": ["切换到英文界面", "切换到中文界面 Switch to Chinese"],
  "app.loading": ["正在加载…", "Loading…"],
  "app.signed_in_as": ["当前用户", "Signed in as"],
  "app.sign_out": ["退出", "Sign out"],
  "app.not_allowed": ["当前令牌的角色不能使用此页面。", "This token's role cannot use this page."],
  "app.not_found": ["没有这个页面。", "No such page."],
  "app.back_home": ["返回首页", "Back to the start page"],
  "app.docs": ["接口文档", "API docs"],
  "role.accountant": ["会计", "Accountant"],
  "role.auditor": ["审计", "Auditor"],
  "role.township": ["乡镇财政所", "Township office"],
  "scope.all": ["全部", "everything"],
  "scope.township": ["乡镇", "township"],
  "scope.community": ["社区", "community"],

  "signin.title": ["登录", "Sign in"],
  "signin.intro": ["请输入访问令牌（Bearer token）。令牌的角色与范围决定你能看到和操作的内容。",
    "Enter your access token (bearer token). Its role and scope decide what you can see and do."],
  "signin.token": ["访问令牌", "Access token"],
  "signin.submit": ["登录", "Sign in"],
  "signin.hint": ["演示环境：运行 make run 时会打印五个令牌——会计（社区 c001）、审计（全部）、乡镇（东风镇 t-dongfeng）、另一乡镇（兴隆镇 t-xinglong）、会计（社区 c002），也保存在 anju-data/anju-demo-tokens.json（accountant、auditor、township、township_t-xinglong、accountant_c002）。令牌只保存在本浏览器标签页中，关闭即失效。",
    "Demo: make run prints five tokens — accountant (community c001), auditor (everything), township (t-dongfeng), the other township (t-xinglong) and the accountant of c002 — and keeps them in anju-data/anju-demo-tokens.json. The token stays in this browser tab only."],
  "signin.required": ["请输入令牌", "Enter a token"],

  "nav.books": ["账套", "Books"],
  "nav.township": ["辖区社区", "Communities"],
  "nav.events": ["事件历史", "Event history"],
  "nav.verify": ["校验哈希链", "Verify chain"],
  "nav.book_menu": ["账套菜单", "Book menu"],
  "nav.main_menu": ["主菜单", "Main menu"],
  "nav.voucher_new": ["记账", "Record"],
  "nav.vouchers": ["凭证", "Vouchers"],
  "nav.periods": ["结账", "Periods"],
  "nav.trial_balance": ["科目余额表", "Trial balance"],
  "nav.balance_sheet": ["资产负债表", "Balance sheet"],
  "nav.income": ["收益表", "Income"],
  "nav.rent_roll": ["租金清册", "Rent roll"],
  "nav.arrears": ["欠租账龄", "Arrears aging"],
  "nav.tenants": ["承租人", "Tenants"],
  "nav.township_statements": ["汇总报表", "Consolidated statements"],
  "nav.audit_history": ["聚合历史", "Aggregate history"],
  "nav.as_recorded": ["按当时记录", "As recorded"],
  "nav.checkpoints": ["封存点", "Checkpoints"],
  "nav.imports": ["导入", "Import"],
  "nav.opening_balances": ["期初余额", "Opening balances"],

  "common.as_of": ["截至日期", "As of"],
  "common.from": ["起始日期", "From"],
  "common.show": ["查询", "Show"],
  "common.download_csv": ["下载本表 CSV", "Download this table (CSV)"],
  "common.next_page": ["下一页", "Next page"],
  "common.prev_page": ["上一页", "Previous page"],
  "common.first_page": ["第一页", "First page"],
  "common.total": ["合计", "Total"],
  "common.uppercase": ["大写", "In words"],
  "common.none": ["（无）", "(none)"],
  "common.empty": ["没有记录。", "Nothing to show."],
  "common.log_position": ["日志位置", "Log position"],
  "common.balanced": ["平衡", "Balanced"],
  "common.unbalanced": ["不平衡", "Not balanced"],
  "common.debit": ["借方", "Debit"],
  "common.credit": ["贷方", "Credit"],
  "common.direction": ["方向", "Dr/Cr"],
  "common.amount": ["金额", "Amount"],
  "common.code": ["编码", "Code"],
  "common.name": ["名称", "Name"],
  "common.date": ["日期", "Date"],
  "common.reason": ["原因", "Reason"],
  "common.print": ["打印", "Print"],
  "common.yes": ["是", "yes"],
  "common.no": ["否", "no"],
  "common.cst": ["北京时间", "China Standard Time"],
  "common.colon": ["：", ": "],
  "common.paren_open": ["（", " ("],
  "common.paren_close": ["）", ")"],
  "common.open": ["打开", "Open"],
  "common.collective_only": ["此报表适用于集体经济组织账套。", "This statement is for collective books."],

  "books.title": ["账套", "Books"],
  "books.intro": ["本令牌范围内的账套。", "The books within this token's scope."],
  "books.kind": ["核算主体", "Entity"],
  "books.community": ["社区", "Community"],
  "books.township": ["乡镇（街道）", "Township"],
  "books.starts_on": ["启用日期", "Starts on"],
  "books.chart": ["科目表", "Chart"],
  "kind.collective": ["集体经济组织", "Collective"],
  "kind.maintenance_fund": ["维修资金", "Maintenance fund"],
  "books.none": ["本令牌范围内还没有账套。", "There is no book in this token's scope yet."],
  "book.closed_through": ["已结账至", "Closed through"],
  "book.nothing_closed": ["尚无已结账月份", "No month closed yet"],
  "book.what_next": ["选择要做的事：", "What would you like to do?"],
};

let current = sessionStorage.getItem("anju.lang") === "en" ? 1 : 0;
const listeners = new Set();

export function addLabels(labels) {
  Object.assign(LABELS, labels);
}

/** The label in the current language; {name} placeholders are filled from vars. */
export function t(key, vars = {}) {
  const entry = LABELS[key];
  const text = entry ? entry[current] : key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

/** Both languages of a label, for a bilingual API field pair: zh-first, English on the switch. */
export function pick(zh, en) {
  return current === 1 && en ? en : zh;
}

export function lang() {
  return current === 1 ? "en" : "zh-CN";
}

export function toggleLang() {
  current = 1 - current;
  sessionStorage.setItem("anju.lang", current === 1 ? "en" : "zh");
  document.documentElement.lang = lang();
  listeners.forEach((listener) => listener());
}

export function onLangChange(listener) {
  listeners.add(listener);
}

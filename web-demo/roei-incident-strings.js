// The <roei-incident> element's own UI strings, Japanese first, English second. The core's labels
// (roei/catalog) cover every legal vocabulary (stages, terms, states, event types, fields, facts); these
// are the words of the screen around them. Kept apart from the element so that wording is reviewed
// (and translated) in one place. The English strings are roei-incident-strings-en.js, fetched only
// when the widget shows English (most users never do; it keeps the first load smaller).

export const STRINGS = {
  ja: {
    loading: "読み込み中…", refreshing: "更新中", lastView: "前回の判定を表示しています", lastViewAt: "判定時刻",
    lastViewOverdue: "その後に期限を過ぎた義務は期限超過として表示", start: "事案の登録", contracts: "契約（特記事項）", incident: "事案",
    detection: "検知", id: "事案番号", title: "件名", contractId: "契約番号", principal: "委託者",
    contractor: "受託者", kind: "事故の種類", signs: "把握した内容", signsOnly: "兆候・おそれ（未確認）",
    occurred: "発生を確認", summary: "概要", actor: "記録者", begin: "事案を開始", now: "現在",
    steps: "対応の手順（義務）", facts: "事実の評価", factsNote: "未確定の義務が判断に必要とする事実です。",
    other: "その他の記録", log: "記録（イベント）", type: "種類", note: "内容", record: "記録する",
    basis: "根拠の確かさ", basis_guide: "ガイドライン等による", basis_reading: "roeiの解釈（方針で変更可）", reportableBy: "報告対象となった記録",
    ifApplicable: "該当すれば期限超過", rolledFrom: "が休日のため繰り延べ",
    legalTerm: "法令・契約上の文言", due: "期限", target: "運用目標", hardDue: "法定期限", noDue: "期限なし", left: "残り", over: "超過",
    trigger: "起算", doneAt: "完了", owed: "義務者", to: "→", missing: "未記載", written: "書面で行った",
    chooseContract: "契約を1つ以上選んでください。", saved: "記録しました（保存済み）。",
    saveFailed: "保存できませんでした。記録は確定していません。", exportJson: "JSON書き出し",
    refusedTitle: "サービスが受け付けなかった記録", refusedNote: "オフライン中の入力です。共有の記録には入っていません。", dismiss: "閉じる",
    importJson: "JSON読み込み", newIncident: "新しい事案", confirmNew: "現在の事案を閉じて新しい事案を始めますか？（現在の記録はこのブラウザに保管されます）",
    confirmReplace: "開いている事案を、読み込むファイルの記録に置き換えますか？（現在の記録はこのブラウザに保管され、元に戻せます）",
    replacedKept: "置き換える前の記録は保管しました。", undoImport: "元に戻す", restored: "元の記録に戻しました。",
    imported: "読み込みました。", notApplicable: "対象外の義務", lang: "English", yes: "はい", no: "いいえ", unset: "未入力",
    when: "日時", event: "記録", preview: "報告書プレビュー", print: "印刷", ics: "カレンダー(ICS)",
    timeline: "時系列図", reportKind: "報告書", contractOf: "契約", method: "方法", count: "人数・件数",
    nothingToDo: "記録が必要な項目はありません。完了を記録します。", storage: "保存先",
    error: "エラー", listHint: "読点・カンマ区切り", days: "日",
    happenedAt: "日時（実際に行った・把握した時刻）", detectedAt: "把握した日時", jstHint: "日本時間（JST）、分まで。既定は現在時刻",
    whenInvalid: "日時を入力してください", whenFuture: "未来の日時は記録できません", whenBeforeStart: "事案の最初の記録より前の日時です",
    incidentList: "事案一覧", shownNow: "表示中", openIt: "開く", deleteIt: "削除", confirmDelete: "この事案の記録をこのブラウザから削除しますか？（元に戻せません）",
    stateCol: "状態", openState: "対応中", closedState: "終了", nextDue: "次の期限", overdueCount: "期限超過", actions: "操作", noIncidents: "保管している事案はありません。",
    ppcVia: "報告の方法", via_online_form: "委員会の報告フォーム（オンライン）", via_email: "電子メール", via_post: "郵送", via_other: "その他",
    ppcUnknown: "未判明の事項", ppcConfirm: "この内容で記録しますか？（記録は取り消せません。訂正は追加の記録で行います）",
    printView: "印刷用の報告書", enteredAt: "入力", reportedSoFar: "記録済み", missingFacts: "判断に必要な事実（入力欄へ）", recorder: "記録する人", personName: "氏名", department: "所属（部署）",
    principalDetection: "把握（委託者）", principalFirst: "住民からの申出などで委託者が先に把握した場合の登録です。この時点から委託者の義務の期限が進みます。",
    othersDuty: "相手方の義務です（この画面では閲覧のみ）。", choose: "選択してください", chooseType: "「種類」を選んでください",
    err_missing_field: "入力が必要です", err_invalid_value: "値が正しくありません", err_duplicate_id: "同じ番号の記録が既にあります",
    err_too_large: "大きすぎます", err_too_many: "件数が上限を超えています", err_json: "形式が正しくありません",
    err_unknown_profile: "この契約（プロファイル）は登録されていません", err_unsupported_format: "対応していない形式です", hours: "時間", minutes: "分",
    engineFailed: "判定エンジン（WebAssembly）を読み込めませんでした。ページの Content-Security-Policy の script-src に 'wasm-unsafe-eval' が必要です。",
    method_individual: "本人へ個別に通知", method_public_notice: "本人が容易に知り得る状態に置く（公表等）",
    key_kind: "種類", key_signs_only: "兆候のみ", key_contract: "契約", key_principal: "委託者", key_count: "人数",
    key_notify_subjects: "本人通知の指示", key_by: "公表者", key_url: "URL", key_names_contractor: "受託者名の公表",
  },
};

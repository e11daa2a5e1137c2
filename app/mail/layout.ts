/*
| One look for every transactional mail: a heading, a paragraph or two and one button, in both
| HTML and plain text. Values are escaped; links are absolute.
*/
export type MailContent = {
  heading: string
  lines: string[]
  action?: { label: string; url: string }
  footer?: string
}

const escape = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!
  )

export function renderMail(content: MailContent) {
  const text = [
    content.heading,
    '',
    ...content.lines,
    ...(content.action ? ['', `${content.action.label}: ${content.action.url}`] : []),
    ...(content.footer ? ['', content.footer] : []),
  ].join('\n')

  const button = content.action
    ? `<p style="margin:24px 0"><a href="${escape(content.action.url)}" style="background:#4f46e5;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none;font-weight:600">${escape(content.action.label)}</a></p>
       <p style="color:#6b7280;font-size:12px">Or open this link: ${escape(content.action.url)}</p>`
    : ''
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;background:#f3f4f6;padding:24px">
  <div style="max-width:520px;margin:auto;background:#fff;border-radius:10px;padding:28px">
    <h1 style="font-size:20px;margin:0 0 16px">${escape(content.heading)}</h1>
    ${content.lines.map((line) => `<p style="line-height:1.5">${escape(line)}</p>`).join('\n')}
    ${button}
    ${content.footer ? `<p style="color:#6b7280;font-size:12px">${escape(content.footer)}</p>` : ''}
  </div></body></html>`
  return { text, html }
}

/**
 * An error answer of the API: RFC 9457 problem details with the stable Updraft error code.
 * The UI shows `title`, `detail` and `hint` as they are, so people read what the server meant.
 */
export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly field: string | undefined;
  readonly hint: string | undefined;

  constructor(status: number, body: Partial<Record<'code' | 'title' | 'detail' | 'field' | 'hint', unknown>>) {
    const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
    const title = text(body.title) ?? `HTTP ${status}`;
    const detail = text(body.detail) ?? '';
    super(detail === '' ? title : `${title}: ${detail}`);
    this.name = 'ApiProblem';
    this.status = status;
    this.code = text(body.code) ?? 'HTTP_ERROR';
    this.title = title;
    this.detail = detail;
    this.field = text(body.field);
    this.hint = text(body.hint);
  }
}

/** Reads a failed response into an ApiProblem, whether or not the body is a problem document. */
export async function problemFrom(response: Response): Promise<ApiProblem> {
  const raw = await response.text();
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null) return new ApiProblem(response.status, parsed);
  } catch {
    // Not JSON (a proxy's HTML page, say): keep the text as the detail below.
  }
  return new ApiProblem(response.status, { title: response.statusText || `HTTP ${response.status}`, detail: raw.slice(0, 300) });
}

/**
 * kubectl's error reporting (cmdutil.CheckErr / StandardErrorMessage, spec §2): Status errors, url
 * errors, configuration errors, Invalid details and plain errors, each rendered exactly as kubectl does.
 */
import { isJsonObject, parseJson, type JsonObject } from "../json";
import { goQuote } from "../go";

export interface StatusInfo {
  code: number;
  reason: string;
  message: string;
  details?: JsonObject;
}

/** A Status returned by the server (decoded) or built by client-go from a bare status code. */
export class StatusError extends Error {
  constructor(readonly status: StatusInfo) {
    super(status.message);
  }
}

/** *url.Error: the request never got an HTTP response. */
export class NetworkError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly reason: string,
  ) {
    super(`${method.charAt(0)}${method.slice(1).toLowerCase()} "${url}": ${reason}`);
  }
}

/** clientcmd's ConfigurationInvalid aggregate. */
export class ConfigurationError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join(", "));
  }
}

/** An error whose full stderr text is already known (usage errors, multi-line messages). */
export class RenderedError extends Error {
  constructor(
    readonly text: string,
    readonly exitCode = 1,
  ) {
    super(text);
  }
}

/** Several errors printed one per line (utilerrors.Aggregate through MultipleErrors). */
export class AggregateError extends Error {
  constructor(readonly errors: unknown[]) {
    super("aggregate");
  }
}

const GENERIC_MESSAGES: Record<number, [string, string]> = {
  400: ["BadRequest", "the server rejected our request for an unknown reason"],
  401: ["Unauthorized", "the server has asked for the client to provide credentials"],
  404: ["NotFound", "the server could not find the requested resource"],
  405: ["MethodNotAllowed", "the server does not allow this method on the requested resource"],
  406: ["NotAcceptable", "the server was unable to respond with a content type that the client supports"],
  409: ["Conflict", "the server reported a conflict"],
  415: ["UnsupportedMediaType", "the server was unable to respond with a content type that the client supports"],
  422: ["Invalid", "the server rejected our request due to an error in our request"],
  429: ["TooManyRequests", "the server has received too many requests and has asked us to try again later"],
  503: ["ServiceUnavailable", "the server is currently unable to handle the request"],
  504: ["Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request"],
};

/** apierrors.NewGenericServerResponse as client-go builds it from a non-Status error body. */
export function genericServerError(code: number, bodyText: string, contentType: string): StatusError {
  const serverMessage = contentType.toLowerCase().startsWith("text/plain") ? bodyText.trim() : "unknown";
  const known = GENERIC_MESSAGES[code];
  if (code === 403) return new StatusError({ code, reason: "Forbidden", message: serverMessage });
  if (known !== undefined) return new StatusError({ code, reason: known[0], message: known[1] });
  if (code >= 500) {
    return new StatusError({
      code,
      reason: "InternalError",
      message: `an error on the server (${goQuote(serverMessage)}) has prevented the request from succeeding`,
    });
  }
  return new StatusError({
    code,
    reason: "Unknown",
    message: `the server responded with the status code ${code} but did not return more information`,
  });
}

/** Decodes a metav1.Status body; otherwise the generic error (what client-go's typed and builder clients do). */
export function decodedServerError(code: number, bodyText: string, contentType: string): StatusError {
  const parsed = parseJson(bodyText);
  if (isJsonObject(parsed) && parsed.kind === "Status") {
    const details = isJsonObject(parsed.details) ? parsed.details : undefined;
    return new StatusError({
      code: typeof parsed.code === "number" ? parsed.code : code,
      reason: typeof parsed.reason === "string" ? parsed.reason : "",
      message: typeof parsed.message === "string" ? parsed.message : "",
      ...(details === undefined ? {} : { details }),
    });
  }
  return genericServerError(code, bodyText, contentType);
}

function invalidMessage(status: StatusInfo): string {
  const details = status.details;
  if (details === undefined) return "The request is invalid";
  const kind = typeof details.kind === "string" ? details.kind : "";
  const name = typeof details.name === "string" ? details.name : "";
  const causes = (Array.isArray(details.causes) ? details.causes : []).filter(isJsonObject);
  let head = "The request is invalid";
  if (kind !== "" || name !== "") head = `The ${kind} ${goQuote(name)} is invalid`;
  else if (typeof causes[0]?.field === "string" && causes[0].field !== "") head = `The ${causes[0].field} is invalid`;
  if (causes.length === 0) return head;
  const lines = causes.map(
    (cause) => `${typeof cause.field === "string" ? cause.field : ""}: ${typeof cause.message === "string" ? cause.message : ""}`,
  );
  if (lines.length === 1) return `${head}: ${lines[0] ?? ""}`;
  return `${head}: \n${lines.map((line) => `* ${line}`).join("\n")}\n`;
}

/** StandardErrorMessage; undefined when kubectl would fall back to "error: <text>". */
function standardMessage(error: unknown): string | undefined {
  if (error instanceof StatusError) {
    const { reason, message } = error.status;
    if (reason === "Unauthorized") return `error: You must be logged in to the server (${message})`;
    if (reason !== "") return `Error from server (${reason}): ${message}`;
    return `Error from server: ${message}`;
  }
  if (error instanceof NetworkError) {
    if (error.reason.includes("connection refused")) {
      let host = error.url;
      try {
        host = new URL(error.url).host;
      } catch {
        // keep the raw URL
      }
      return `The connection to the server ${host} was refused - did you specify the right host or port?`;
    }
    return `Unable to connect to the server: ${error.reason}`;
  }
  return undefined;
}

function messageForError(error: unknown): string {
  return standardMessage(error) ?? (error instanceof Error ? error.message : String(error));
}

/** The stderr text CheckErr prints for an error (always newline-terminated). */
export function renderError(error: unknown): { text: string; exitCode: number } {
  if (error instanceof AggregateError && error.errors.length === 1) error = error.errors[0];
  let text: string;
  let exitCode = 1;
  if (error instanceof RenderedError) {
    text = error.text;
    exitCode = error.exitCode;
  } else if (error instanceof StatusError && error.status.reason === "Invalid") {
    text = invalidMessage(error.status);
  } else if (error instanceof ConfigurationError) {
    const errors = error.errors;
    text =
      errors.length === 1
        ? `Error in configuration: ${errors[0] ?? ""}`
        : `Error in configuration: \n${errors.map((line) => `* ${line}`).join("\n")}\n`;
  } else if (error instanceof AggregateError) {
    text = error.errors.map((item) => messageForError(item)).join("\n");
  } else {
    const standard = standardMessage(error);
    if (standard !== undefined) text = standard;
    else {
      const message = error instanceof Error ? error.message : String(error);
      text = message.startsWith("error: ") ? message : `error: ${message}`;
    }
  }
  if (text === "") return { text: "", exitCode };
  return { text: text.endsWith("\n") ? text : `${text}\n`, exitCode };
}

/** cmdutil.UsageErrorf: `<message>\nSee '<command path> -h' for help and examples`. */
export function usageError(commandPath: string, message: string): RenderedError {
  return new RenderedError(`error: ${message}\nSee '${commandPath} -h' for help and examples`);
}

// Input schemas shared by the forms (client-side hints) and the server (the real check).
import { z } from "zod";

export const emailSchema = z
  .string()
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address."))
  .transform((email) => email.toLowerCase());

/** The display-name bound of sign-up, applied to names that come from elsewhere (an identity provider). */
export const DISPLAY_NAME_MAX = 80;

export const signUpSchema = z.object({
  email: emailSchema,
  name: z.string().trim().min(1, "Enter a display name.").max(DISPLAY_NAME_MAX, "Keep the display name under 80 characters."),
  password: z.string().min(12, "Use at least 12 characters.").max(200, "Use at most 200 characters."),
});
export type SignUpInput = z.input<typeof signUpSchema>;

/**
 * A display name from an identity provider, held to the sign-up rule: control and format
 * characters (including bidirectional overrides and zero-width characters) removed, white space
 * collapsed and trimmed, at most DISPLAY_NAME_MAX characters; `fallback` when nothing is left.
 */
export function cleanDisplayName(raw: string | undefined, fallback: string): string {
  const clean = (text: string) =>
    Array.from(
      text
        .replace(/\p{Cf}+/gu, "")
        .replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, " ")
        .trim(),
    )
      .slice(0, DISPLAY_NAME_MAX)
      .join("")
      .trim();
  return clean(raw ?? "") || clean(fallback);
}

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password.").max(200, "Invalid email or password"),
});

export const ROLES = ["STUDENT", "INSTRUCTOR", "ADMIN"] as const;
export type RoleName = (typeof ROLES)[number];

export const roleChangeSchema = z.object({
  userId: z.string().min(1).max(64),
  role: z.enum(ROLES, "Choose STUDENT, INSTRUCTOR or ADMIN."),
});

export const userSearchSchema = z.object({
  q: z.string().trim().max(100).optional().default(""),
  page: z.coerce.number().int().min(1).max(100_000).optional().default(1),
});

export type FieldErrors = Partial<Record<string, string>>;

/** First message per field, for showing next to the inputs. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= issue.message;
  }
  return out;
}

export const passwordChangeSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password.").max(200),
    newPassword: signUpSchema.shape.password,
  })
  .refine((value) => value.currentPassword !== value.newPassword, {
    path: ["newPassword"],
    message: "Choose a password different from the current one.",
  });

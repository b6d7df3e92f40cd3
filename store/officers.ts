// Creating officer accounts (the first administrator from the command line, others by an
// administrator). Usernames are stored lower case; the password is kept only as a scrypt hash.
import { z } from 'zod';
import { ROLES } from '../core/roles';
import { ValidationFailed } from '../core/errors';
import { hashPassword, passwordProblem } from './passwords';
import { appendAudit } from './audit';
import type { Models } from './connection';

export const newOfficerSchema = z.object({
  username: z.string().trim().toLowerCase().regex(/^[a-z0-9._-]{3,60}$/, 'Username must be 3 to 60 letters, digits, dots, dashes or underscores'),
  displayName: z.string().trim().min(1, 'Enter the officer’s name').max(120),
  email: z.string().trim().email('Enter an email address in the correct format, like name@example.gov.uk'),
  roles: z.array(z.enum(ROLES)).min(1, 'Choose at least one role'),
  password: z.string(),
});

export async function createOfficer(models: Models, input: z.input<typeof newOfficerSchema>, createdBy: string): Promise<string> {
  const parsed = newOfficerSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationFailed(String(issue.path[0]), issue.message);
  }
  const problem = passwordProblem(parsed.data.password);
  if (problem) throw new ValidationFailed('password', problem);
  const { password, ...officer } = parsed.data;
  try {
    const doc = await models.officers.create({ ...officer, passwordHash: await hashPassword(password), createdAt: new Date() });
    await appendAudit(models.audit, { actor: createdBy, action: 'officer.created', subject: { type: 'officer', id: String(doc._id) }, details: { username: officer.username, roles: officer.roles } });
    return String(doc._id);
  } catch (e) {
    if ((e as { code?: number }).code === 11000) throw new ValidationFailed('username', `An officer with the username ${officer.username} already exists`);
    throw e;
  }
}

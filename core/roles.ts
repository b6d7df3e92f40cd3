// The officers' roles (ARCHITECTURE: least privilege) and what each may do.
export const ROLES = [
  'moderator',
  'democratic_services',
  'evidence_officer',
  'authorising_officer',
  'administrator',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  moderator: 'Moderator (comms team)',
  democratic_services: 'Democratic services',
  evidence_officer: 'Evidence officer',
  authorising_officer: 'Authorising officer',
  administrator: 'Administrator',
  auditor: 'Auditor',
};

/** Who may do what. Routes name a permission, never a list of roles, so this is the one place to change. */
export const PERMISSIONS = {
  'live.view': ['moderator', 'evidence_officer', 'authorising_officer', 'administrator'],
  'comment.act': ['moderator', 'administrator'],
  'register.view': ['moderator', 'democratic_services', 'evidence_officer', 'authorising_officer', 'administrator'],
  'register.viewConfidential': ['authorising_officer', 'administrator'],
  'register.propose': ['moderator', 'democratic_services', 'evidence_officer', 'authorising_officer', 'administrator'],
  'register.approve': ['authorising_officer'],
  /** Policy: a name or look-alike match is confirmed or rejected by an officer before anything is enforced. */
  'register.confirmMatch': ['moderator', 'authorising_officer', 'administrator'],
  'meetings.manage': ['democratic_services', 'administrator'],
  'evidence.export': ['evidence_officer', 'administrator'],
  'audit.view': ['auditor', 'administrator'],
  'jobs.manage': ['administrator'],
  'officers.manage': ['administrator'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function can(roles: readonly string[], permission: Permission): boolean {
  const allowed: readonly string[] = PERMISSIONS[permission];
  return roles.some((r) => allowed.includes(r));
}

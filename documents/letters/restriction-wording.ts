// What each kind of restriction means for the person, in plain and polite words, for letters and
// e-mails to them. Staff-facing labels stay in core/restriction.ts (RESTRICTION_KIND_LABELS).

import type { Restriction, RestrictionKind } from '../../core/restriction';

/** Policy §14: the customer is told how and when they may contact the council. Written to the customer ("you"). */
export const RESTRICTION_KIND_EXPLANATIONS: Record<RestrictionKind, string> = {
  phone_days_times: 'You can telephone us only on the days and at the times set out below.',
  contact_time_limit: 'Each contact you have with us will be kept to the time set out below.',
  writing_or_email_only:
    'Please contact us in writing or by email only. We will not take telephone calls from you or meet you in person without an appointment.',
  postal_only: 'Please contact us by post only. We will not reply to emails or telephone calls.',
  single_point_of_response:
    'All your correspondence will be answered through one line of response, so that you receive one consistent reply.',
  named_contact:
    'Please contact only the person or team named in this letter. They will deal with your enquiries.',
  auto_divert:
    'Your emails and letters to the council will be passed automatically to the person named in this letter, who will deal with them.',
  stop_processing_same_matter:
    'We have answered your concerns about this matter fully. If you write to us again about the same matter, we will read and file your correspondence but we will not reply. We will still reply to anything new.',
  witness_required: 'If we meet you in person, a second member of staff will be present.',
  social_media_block:
    "You have been blocked from the council's social media accounts. You can still contact us in the ways set out in this letter.",
  no_public_participation:
    'You cannot speak at public meetings. You can still send a written statement, which will be read out in full at the meeting.',
  report_to_police: 'We have reported the behaviour described in this letter to the police.',
};

/** Where a restriction applies, in words that complete "This applies to …". */
export function scopeInPlainWords(scope: Restriction['scope']): string {
  switch (scope.level) {
    case 'council':
      return 'all council services and meetings';
    case 'service':
      return scope.name ? `the ${scope.name} service` : 'one council service';
    case 'committee':
      return scope.name ? `meetings of the ${scope.name}` : 'meetings of one committee';
    case 'meeting':
      return scope.name ? `the meeting ${scope.name}` : 'one meeting';
  }
}

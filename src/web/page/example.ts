// The example a first visit shows: the seed's nbtscan rule and its five scenarios, as the project
// ships them (embedded at build time from rules/).
import rule from '../../../rules/windows/proc_creation_win_nbtscan.yml';
import exclusions from '../../../rules/windows/proc_creation_win_nbtscan.exclusions.yml';

export const example = { rule, exclusions } as const;

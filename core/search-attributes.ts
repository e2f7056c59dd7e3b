// Keel's custom search attributes: every run is findable by tenant and user in Temporal's UI and API.
import { defineSearchAttributeKey } from '@temporalio/common';

export const TENANT_SEARCH_ATTRIBUTE = defineSearchAttributeKey('KeelTenant', 'KEYWORD');
export const USER_SEARCH_ATTRIBUTE = defineSearchAttributeKey('KeelUser', 'KEYWORD');
export const KEEL_SEARCH_ATTRIBUTES = [TENANT_SEARCH_ATTRIBUTE, USER_SEARCH_ATTRIBUTE] as const;

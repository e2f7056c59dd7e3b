// Alert relay vocabulary: Alertmanager's webhook payload, the configured routes, the chat message.
export { alertMessage, type AlertMessage } from './alert-message';
export { alertRouteSchema, alertRoutesSchema, alertsForRoute, parseAlertRoutes, type AlertRoute, type AlertRouteType } from './alert-routes';
export { alertmanagerPayloadSchema, alertSchema, MAX_ALERTS_PER_NOTIFICATION, type Alert, type AlertmanagerPayload } from './alertmanager-payload';

export {
  createPostgresNotifications,
  type NotificationHandlers,
  type PostgresNotifications,
} from "./postgres-notifications.ts";

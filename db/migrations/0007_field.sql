CREATE TABLE `field_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`programme_id` text NOT NULL,
	`fingerprint` text NOT NULL,
	`label` text NOT NULL,
	`public_key` text,
	`registered_by` text,
	`registered_at` integer NOT NULL,
	`revoked_at` integer,
	`revoked_by` text,
	FOREIGN KEY (`programme_id`) REFERENCES `programmes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`registered_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`revoked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `field_keys_unique` ON `field_keys` (`programme_id`,`fingerprint`);--> statement-breakpoint
CREATE TABLE `field_kits` (
	`id` text PRIMARY KEY NOT NULL,
	`direction` text NOT NULL,
	`programme_id` text NOT NULL,
	`session_id` text NOT NULL,
	`signer_fingerprint` text NOT NULL,
	`signed_at` integer NOT NULL,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`programme_id`) REFERENCES `programmes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `field_kits_session` ON `field_kits` (`session_id`);--> statement-breakpoint
CREATE TABLE `field_pins` (
	`programme_id` text PRIMARY KEY NOT NULL,
	`public_key` text NOT NULL,
	`fingerprint` text NOT NULL,
	`issuer_instance_id` text NOT NULL,
	`issuer_name` text NOT NULL,
	`pinned_at` integer NOT NULL,
	FOREIGN KEY (`programme_id`) REFERENCES `programmes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `instance` ADD `signing_public_key` text;--> statement-breakpoint
ALTER TABLE `instance` ADD `signing_private_key` text;--> statement-breakpoint
ALTER TABLE `session_imports` ADD `field_key_id` text REFERENCES field_keys(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `session_imports` ADD `key_fingerprint` text;--> statement-breakpoint
ALTER TABLE `session_imports` ADD `signed_at` integer;
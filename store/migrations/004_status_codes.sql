-- Statuses are stored as stable ASCII codes (plan.StatusCode), no longer
-- as their Chinese labels, so a label can change without touching what is
-- stored.
UPDATE reports SET status = CASE status
	WHEN '按计划推进' THEN 'on_track'
	WHEN '已完成' THEN 'done'
	WHEN '进度滞后' THEN 'behind'
	WHEN '存在困难需协调' THEN 'needs_help'
	WHEN '已提交成果材料' THEN 'submitted'
	ELSE status
END;
UPDATE conversations SET status = CASE status
	WHEN '按计划推进' THEN 'on_track'
	WHEN '已完成' THEN 'done'
	WHEN '进度滞后' THEN 'behind'
	WHEN '存在困难需协调' THEN 'needs_help'
	WHEN '已提交成果材料' THEN 'submitted'
	ELSE status
END;

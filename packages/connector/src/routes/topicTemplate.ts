/** Values substituted into an MQTT topic template. */
export interface TopicTemplateValues {
  readonly site: string;
  readonly robot: string;
  /** ROS topic name; substituted without its leading `/`. */
  readonly topic: string;
  /** ROS type name, e.g. `sensor_msgs/msg/Image`. */
  readonly type: string;
}

/**
 * Renders a route's MQTT topic template: `fleetloop/v1/{site}/{robot}/ros/{topic}` with
 * `/robot_3/scan` gives `fleetloop/v1/lab/robot-3/ros/robot_3/scan`.
 */
export function renderTopicTemplate(template: string, values: TopicTemplateValues): string {
  return template.replace(/\{(site|robot|topic|type)\}/g, (_, key: keyof TopicTemplateValues) =>
    key === 'topic' ? values.topic.replace(/^\/+/, '') : values[key],
  );
}

/** The retained topic of a type's message definition: `.../types/<pkg>/<Type>`. */
export function definitionTopic(site: string, robot: string, type: string): string {
  const [pkg = type, , name = type] = type.split('/');
  return `fleetloop/v1/${site}/${robot}/types/${pkg}/${name}`;
}

/** The retained status topic of a component: `.../status/<component>`. */
export function statusTopic(site: string, robot: string, component: string): string {
  return `fleetloop/v1/${site}/${robot}/status/${component}`;
}

import type { MessageDefinitionRegistry } from '@fleetloop/ros';
import type { MessageCodecs } from './MessageCodecs.js';

/**
 * {@link MessageCodecs} over `@fleetloop/ros`'s {@link MessageDefinitionRegistry}: the common
 * ROS 2 interfaces plus whatever `.msg` directories the registry loaded.
 */
export function rosMessageCodecs(registry: MessageDefinitionRegistry): MessageCodecs {
  const texts = new Map<string, string>();
  return {
    definitionText(type) {
      if (!registry.has(type)) return undefined;
      let text = texts.get(type);
      if (text === undefined) {
        text = registry.definitionText(type);
        texts.set(type, text);
      }
      return text;
    },
    decode: (type, data) => registry.codec(type).decode(data),
    encode: (type, value) => registry.codec(type).encode(value),
  };
}

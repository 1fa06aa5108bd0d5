import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

type SerializerFactory = ReturnType<typeof SerializerSelector>;

/**
 * Fastify compiles a fast-json-stringify serializer for every response schema of every route while
 * it starts: about 350 ms of CPU for this API, a fifth of `updraft standalone`'s start, spent on
 * routes most sessions never call. This factory builds the same serializers, each on its route's
 * first response instead.
 */
export function lazySerializerFactory(): SerializerFactory {
  const buildCompiler = SerializerSelector();
  return (externalSchemas, options) => {
    const compile = buildCompiler(externalSchemas, options);
    return (route) => {
      let serialize: ((doc: unknown) => string) | undefined;
      return (doc) => (serialize ??= compile(route))(doc);
    };
  };
}

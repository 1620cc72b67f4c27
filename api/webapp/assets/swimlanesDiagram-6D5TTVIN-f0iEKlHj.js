import{I as t,D as o}from"./flowDiagram-MIYXRJYK-h93uVBWk.js";import"./chunk-A3LLD7C6-EBaqrWXh.js";import"./chunk-CG7VIXT6-C8_fSQj0.js";import"./chunk-AEP47HME-BGgHbqhq.js";import{m as e}from"./mermaid.esm.min-C-IHwqRk.js";import"./chunk-C7QCCU7L-BWZnqgx1.js";import"./index-BqAgeqE6.js";var a=e(r=>`${o(r)}
  .swimlane.cluster:not([data-color-id]) rect {
    stroke: ${r.clusterBorder} !important;
  }
  [data-look="neo"].cluster rect {
    filter: none;
  }
`,"getStyles"),m=a,f=t({styles:m});export{f as diagram};

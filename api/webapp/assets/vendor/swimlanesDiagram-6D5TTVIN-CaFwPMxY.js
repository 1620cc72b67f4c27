import{I as t,D as o}from"./flowDiagram-MIYXRJYK-3g02V9AC.js";import"./chunk-A3LLD7C6-Du3LmRak.js";import"./chunk-CG7VIXT6-C26ifO7B.js";import"./chunk-AEP47HME-ztBMAmVW.js";import{m as e}from"./mermaid.esm.min-lQSM7Xp_.js";import"./chunk-C7QCCU7L-ZWMMhMBc.js";import"../index-CJ1mwaei.js";var a=e(r=>`${o(r)}
  .swimlane.cluster:not([data-color-id]) rect {
    stroke: ${r.clusterBorder} !important;
  }
  [data-look="neo"].cluster rect {
    filter: none;
  }
`,"getStyles"),m=a,f=t({styles:m});export{f as diagram};
